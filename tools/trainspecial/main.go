// Command trainspecial trains the learned special-category backstop
// (specialcat.Model) on the labelled batches an author may tune on, and measures
// it by leave-one-author-out cross-validation. It prints ids, counts and scores
// only, never evidence text.
//
//	go run ./tools/trainspecial -data testdata/eval -o classifiers/specialcat/data/learned.tsv
//	go run ./tools/trainspecial -data testdata/eval -cv [-markdown] [-pool blind8,blind9,blind10]
//	go run ./tools/trainspecial -data testdata/eval -train b1,b2,blind,blind4,blind5 -test blind6,blind7
//	go run ./tools/trainspecial -data testdata/eval -train b1,…,blind28 -extra blind35,blind36 -test blind35,blind36
//
// -train/-test is the temporal check: train on some groups only (thresholds by
// leave-one-group-out inside them) and score other groups, run on a snapshot of
// the rules as they were before those groups were tuned on.
//
// It reads only the groups listed in authorGroups: a blind batch not yet measured
// (notYetMeasured) is the lead's held-out estimate and is never read here.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cvetl/cvetl/classifiers/specialcat/evalset"
)

func main() {
	data := flag.String("data", "testdata/eval", "labelled set directory")
	out := flag.String("o", "", "write the trained model to this file")
	cv := flag.Bool("cv", false, "print the leave-one-author-out cross-validation table")
	markdown := flag.Bool("markdown", false, "print the table as Markdown")
	train := flag.String("train", "", "comma-separated groups to train on (with -test)")
	test := flag.String("test", "", "comma-separated groups to score a model trained on -train")
	pool := flag.String("pool", "", "with -cv: comma-separated held-out groups also pooled on their own (\"subset\" rows)")
	extra := flag.String("extra", "", "with -test: comma-separated blind batch folders loaded as groups for this run only (never one in notYetMeasured)")
	flag.Parse()
	var err error
	if *test != "" {
		err = runHoldout(*data, *train, *test, *extra, *markdown, os.Stdout)
	} else {
		err = run(*data, *out, *cv, *markdown, os.Stdout, *pool)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "trainspecial:", err)
		os.Exit(1)
	}
}

func run(data, out string, cv, markdown bool, w io.Writer, pool string) error {
	if out == "" && !cv {
		return fmt.Errorf("nothing to do: give -o FILE and/or -cv")
	}
	groups, err := loadGroups(data)
	if err != nil {
		return err
	}
	if out != "" {
		if err := os.WriteFile(out, Train(groups).Format(), 0o644); err != nil {
			return err
		}
	}
	if cv {
		t := crossValidate(groups)
		if pool != "" {
			t.pool = map[string]bool{}
			known := map[string]bool{}
			for _, g := range groups {
				known[g.name] = true
			}
			for _, n := range strings.Split(pool, ",") {
				if !known[n] {
					return fmt.Errorf("-pool: unknown group %q", n)
				}
				t.pool[n] = true
			}
		}
		t.write(w, markdown)
	}
	return nil
}

func runHoldout(data, train, test, extra string, markdown bool, w io.Writer) error {
	groups, err := loadGroups(data)
	if err != nil {
		return err
	}
	more, err := loadExtra(data, extra)
	if err != nil {
		return err
	}
	groups = append(groups, more...)
	byName := map[string]group{}
	for _, g := range groups {
		byName[g.name] = g
	}
	pick := func(list string) ([]group, error) {
		var out []group
		for _, n := range strings.Split(list, ",") {
			g, ok := byName[n]
			if !ok {
				return nil, fmt.Errorf("unknown group %q", n)
			}
			out = append(out, g)
		}
		return out, nil
	}
	tr, err := pick(train)
	if err != nil {
		return err
	}
	te, err := pick(test)
	if err != nil {
		return err
	}
	holdout(tr, te).write(w, markdown)
	return nil
}

// group is one author's labelled batch: a fold of the cross-validation.
type group struct {
	name string
	set  *evalset.Set // every item's Split set to the group name
}

// authorGroups are the batches written by distinct authors that may be trained
// on. Batch 1's tune and held-out parts are one author, so one group.
var authorGroups = []struct {
	name, dir string
	blind     bool
	batch     string // for the main set: evalset.BatchOf
}{
	{"b1", "", false, "b1"},
	{"b2", "", false, "b2"},
	{"blind", "blind", true, ""},
	{"blind4", "blind4", true, ""},
	{"blind5", "blind5", true, ""},
	{"blind6", "blind6", true, ""},
	{"blind7", "blind7", true, ""},
	{"blind8", "blind8", true, ""},
	{"blind9", "blind9", true, ""},
	{"blind10", "blind10", true, ""},
	{"blind11", "blind11", true, ""},
	{"blind12", "blind12", true, ""},
	{"blind13", "blind13", true, ""},
	{"blind14", "blind14", true, ""},
	{"blind15", "blind15", true, ""},
	{"blind16", "blind16", true, ""},
	{"blind17", "blind17", true, ""},
	{"blind18", "blind18", true, ""},
	{"blind19", "blind19", true, ""},
	{"blind20", "blind20", true, ""},
	{"blind21", "blind21", true, ""},
	{"blind22", "blind22", true, ""},
	{"blind23", "blind23", true, ""},
	{"blind24", "blind24", true, ""},
	{"blind25", "blind25", true, ""},
	{"blind26", "blind26", true, ""},
	{"blind27", "blind27", true, ""},
	{"blind28", "blind28", true, ""},
}

// notYetMeasured are blind batches no tuning pass has read: 55–60, the test set of
// section 16 of docs/quality-special-categories.md. No group may read them before
// their measurements are in the history. Batches 29–54 are not groups: they were
// measured, then tuned on (29–38 by h54 and h61; 39–54 by h69, whose changes section
// 16's rule reverted: they are read, so no longer a test set), and the model is still
// the one trained on the twenty-eight groups above (three passes found that more
// groups do not help on new authors); -extra loads them for a forward check.
var notYetMeasured = []string{"blind55", "blind56", "blind57", "blind58", "blind59", "blind60"}

// loadExtra loads the blind batch folders named in list (comma-separated) as
// groups, for a -train/-test run only: the forward check scores batches that are
// measured but not (yet) groups of the model without editing authorGroups. A
// batch in notYetMeasured or one already a group is refused.
func loadExtra(data, list string) ([]group, error) {
	if list == "" {
		return nil, nil
	}
	var gs []group
	for _, n := range strings.Split(list, ",") {
		for _, unseen := range notYetMeasured {
			if n == unseen {
				return nil, fmt.Errorf("-extra: %s is not yet measured and may not be read", n)
			}
		}
		for _, a := range authorGroups {
			if a.name == n {
				return nil, fmt.Errorf("-extra: %s is already a group", n)
			}
		}
		if !strings.HasPrefix(n, "blind") || strings.ContainsAny(n, "/\\.") {
			return nil, fmt.Errorf("-extra: %q is not a blind batch folder name", n)
		}
		set, err := evalset.LoadBlind(filepath.Join(data, n))
		if err != nil {
			return nil, fmt.Errorf("-extra %s: %w", n, err)
		}
		g := group{name: n, set: &evalset.Set{}}
		for _, d := range set.Docs {
			d.Split = n
			g.set.Docs = append(g.set.Docs, d)
		}
		for _, s := range set.Sentences {
			s.Split = n
			g.set.Sentences = append(g.set.Sentences, s)
		}
		gs = append(gs, g)
	}
	return gs, nil
}

func loadGroups(data string) ([]group, error) {
	main, err := evalset.Load(data)
	if err != nil {
		return nil, err
	}
	var gs []group
	for _, a := range authorGroups {
		src := main
		if a.blind {
			if src, err = evalset.LoadBlind(filepath.Join(data, a.dir)); err != nil {
				return nil, fmt.Errorf("%s: %w", a.name, err)
			}
		}
		g := group{name: a.name, set: &evalset.Set{}}
		for _, d := range src.Docs {
			if a.batch == "" || evalset.BatchOf(d.ID) == a.batch {
				d.Split = a.name
				g.set.Docs = append(g.set.Docs, d)
			}
		}
		for _, s := range src.Sentences {
			if a.batch == "" || evalset.BatchOf(s.ID) == a.batch {
				s.Split = a.name
				g.set.Sentences = append(g.set.Sentences, s)
			}
		}
		gs = append(gs, g)
	}
	return gs, nil
}
