// Command evalspecial scores the special-category tagger (classifiers/specialcat)
// on the labelled set in testdata/eval and on Presidio's synthetic sentences.
// It prints ids, offsets and counts only, never evidence text.
//
//	go run ./tools/evalspecial -data testdata/eval -presidio ../shared/corpus/external/presidio [-markdown] [-o FILE]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cvetl/cvetl/classifiers/specialcat"
	"github.com/cvetl/cvetl/classifiers/specialcat/evalset"
)

func main() {
	data := flag.String("data", "testdata/eval", "labelled set directory")
	presidio := flag.String("presidio", "", "Presidio corpus directory (optional)")
	markdown := flag.Bool("markdown", false, "print Markdown")
	out := flag.String("o", "", "write the output to this file too")
	errs := flag.Bool("errors", false, "list the errors (ids and offsets) of the tune split and of the blind batches tuned on")
	tuneOnly := flag.Bool("tune", false, "score the tune split only (while tuning)")
	flag.Parse()
	if err := run(*data, *presidio, *markdown, *out, *errs, *tuneOnly); err != nil {
		fmt.Fprintln(os.Stderr, "evalspecial:", err)
		os.Exit(1)
	}
}

func run(data, presidio string, markdown bool, out string, errs, tuneOnly bool) error {
	set, err := evalset.Load(data)
	if err != nil {
		return err
	}
	var pr *evalset.PresidioReport
	if presidio != "" {
		if pr, err = evalset.Presidio(presidio, specialcat.Detect); err != nil {
			return err
		}
	}
	tune := evalset.Score(set, evalset.Tune, specialcat.Detect)
	var buf bytes.Buffer
	if tuneOnly {
		tune.WriteText(&buf)
		if errs {
			for _, e := range tune.Errors {
				fmt.Fprintln(&buf, e)
			}
		}
		_, err := os.Stdout.Write(buf.Bytes())
		return err
	}
	held := evalset.Score(set, evalset.Heldout, specialcat.Detect)
	blind := evalset.ScoreBatch(set, evalset.Heldout, "b2", specialcat.Detect)
	batches, err := scoreBlindBatches(data)
	if err != nil {
		return err
	}
	if markdown {
		writeMarkdown(&buf, held, blind, tune, pr)
		if err := writeDefaultMode(&buf, data, batches); err != nil {
			return err
		}
		for _, b := range batches {
			fmt.Fprintf(&buf, "\n### %s\n\n", b.title())
			b.report.WriteMarkdown(&buf)
		}
	} else {
		for _, r := range []*evalset.Report{held, blind, tune} {
			r.WriteText(&buf)
			fmt.Fprintln(&buf)
		}
		for _, b := range batches {
			fmt.Fprintln(&buf, b.title())
			b.report.WriteText(&buf)
			fmt.Fprintln(&buf)
		}
		if pr != nil {
			pr.WriteText(&buf)
		}
		if s := held.Shortfalls(); len(s) > 0 {
			fmt.Fprintf(&buf, "held-out below target: %v\n", s)
		} else {
			fmt.Fprintln(&buf, "held-out: every guarded category at or above target, no hard negative tagged")
		}
	}
	if errs {
		// The tune split and the blind batches already measured and tuned on: the
		// held-out split and any blind batch not yet measured are reported, not inspected.
		for _, e := range tune.Errors {
			fmt.Fprintln(&buf, e)
		}
		for _, b := range batches {
			if b.status.tunedOn {
				for _, e := range b.report.Errors {
					fmt.Fprintln(&buf, e)
				}
			}
		}
	}
	if _, err := io.Copy(os.Stdout, bytes.NewReader(buf.Bytes())); err != nil {
		return err
	}
	if out != "" {
		return writeOut(out, buf.Bytes())
	}
	return nil
}

// blindStatus is what is known about one blind batch folder.
type blindStatus struct {
	name    string // how the history in docs/quality-special-categories.md calls it
	ids     string // its id prefixes
	tunedOn bool   // measured blind once, then its errors were read and tuned on
}

// blindBatches is the one place that records each blind batch's status. A folder
// testdata/eval/blind* that is not listed here is scored as a batch never measured
// and never tuned on, and its errors are not listed: add it here, tunedOn, only
// after its first measurement has been written into the history.
var blindBatches = map[string]blindStatus{
	"blind":   {name: "Blind batch 1", ids: "b3-*/s3-*", tunedOn: true},
	"blind4":  {name: "Blind batch 4", ids: "b4-*/s4-*", tunedOn: true},
	"blind5":  {name: "Blind batch 5", ids: "b5-*/s5-*", tunedOn: true},
	"blind6":  {name: "Blind batch 6", ids: "b6-*/s6-*", tunedOn: true},
	"blind7":  {name: "Blind batch 7", ids: "b7-*/s7-*", tunedOn: true},
	"blind8":  {name: "Blind batch 8", ids: "b8-*/s8-*", tunedOn: true},
	"blind9":  {name: "Blind batch 9", ids: "b9-*/s9-*", tunedOn: true},
	"blind10": {name: "Blind batch 10", ids: "b10-*/s10-*", tunedOn: true},
	"blind11": {name: "Blind batch 11", ids: "b11-*/s11-*", tunedOn: true},
	"blind12": {name: "Blind batch 12", ids: "b12-*/s12-*", tunedOn: true},
	"blind13": {name: "Blind batch 13", ids: "b13-*/s13-*", tunedOn: true},
	"blind14": {name: "Blind batch 14", ids: "b14-*/s14-*", tunedOn: true},
	"blind15": {name: "Blind batch 15", ids: "b15-*/s15-*", tunedOn: true},
	"blind16": {name: "Blind batch 16", ids: "b16-*/s16-*", tunedOn: true},
	"blind17": {name: "Blind batch 17", ids: "b17-*/s17-*", tunedOn: true},
	"blind18": {name: "Blind batch 18", ids: "b18-*/s18-*", tunedOn: true},
	"blind19": {name: "Blind batch 19", ids: "b19-*/s19-*", tunedOn: true},
	"blind20": {name: "Blind batch 20", ids: "b20-*/s20-*", tunedOn: true},
	"blind21": {name: "Blind batch 21", ids: "b21-*/s21-*", tunedOn: true},
	"blind22": {name: "Blind batch 22", ids: "b22-*/s22-*", tunedOn: true},
	"blind23": {name: "Blind batch 23", ids: "b23-*/s23-*", tunedOn: true},
	"blind24": {name: "Blind batch 24", ids: "b24-*/s24-*", tunedOn: true},
	"blind25": {name: "Blind batch 25 (blind25/)", tunedOn: true},
	"blind26": {name: "Blind batch 26 (blind26/)", tunedOn: true},
	"blind27": {name: "Blind batch 27 (blind27/)", tunedOn: true},
	"blind28": {name: "Blind batch 28 (blind28/)", tunedOn: true},
	"blind29": {name: "Blind batch 29 (blind29/)", tunedOn: true},
	"blind30": {name: "Blind batch 30 (blind30/)", tunedOn: true},
	"blind31": {name: "Blind batch 31 (blind31/)", tunedOn: true},
	"blind32": {name: "Blind batch 32 (blind32/)", tunedOn: true},
	"blind33": {name: "Blind batch 33 (blind33/)", tunedOn: true},
	"blind34": {name: "Blind batch 34 (blind34/)", tunedOn: true},
	"blind35": {name: "Blind batch 35 (blind35/)", tunedOn: true},
	"blind36": {name: "Blind batch 36 (blind36/)", tunedOn: true},
	"blind37": {name: "Blind batch 37 (blind37/)", tunedOn: true},
	"blind38": {name: "Blind batch 38 (blind38/)", tunedOn: true},
	"blind39": {name: "Blind batch 39 (blind39/)", tunedOn: true},
	"blind40": {name: "Blind batch 40 (blind40/)", tunedOn: true},
	"blind41": {name: "Blind batch 41 (blind41/)", tunedOn: true},
	"blind42": {name: "Blind batch 42 (blind42/)", tunedOn: true},
	"blind43": {name: "Blind batch 43 (blind43/)", tunedOn: true},
	"blind44": {name: "Blind batch 44 (blind44/)", tunedOn: true},
	"blind45": {name: "Blind batch 45 (blind45/)", tunedOn: true},
	"blind46": {name: "Blind batch 46 (blind46/)", tunedOn: true},
	"blind47": {name: "Blind batch 47 (blind47/)", tunedOn: true},
	"blind48": {name: "Blind batch 48 (blind48/)", tunedOn: true},
	"blind49": {name: "Blind batch 49 (blind49/)", tunedOn: true},
	"blind50": {name: "Blind batch 50 (blind50/)", tunedOn: true},
	"blind51": {name: "Blind batch 51 (blind51/)", tunedOn: true},
	"blind52": {name: "Blind batch 52 (blind52/)", tunedOn: true},
	"blind53": {name: "Blind batch 53 (blind53/)", tunedOn: true},
	"blind54": {name: "Blind batch 54 (blind54/)", tunedOn: true},
}

// statusOf is the status of the blind batch folder dir (its base name).
func statusOf(dir string) blindStatus {
	if s, ok := blindBatches[dir]; ok {
		return s
	}
	return blindStatus{name: "Blind batch " + strings.TrimPrefix(dir, "blind") + " (" + dir + "/)"}
}

// blindBatch is one scored blind batch folder.
type blindBatch struct {
	dir    string // its folder's base name
	status blindStatus
	report *evalset.Report
}

func (b blindBatch) title() string {
	ids := ""
	if b.status.ids != "" {
		ids = b.status.ids + ": "
	}
	if b.status.tunedOn {
		return fmt.Sprintf("%s (%swritten without reading the rules; tuned on since its first measurement)", b.status.name, ids)
	}
	return fmt.Sprintf("%s (%swritten without reading the rules or other batches; never tuned on: an estimate on unseen text)", b.status.name, ids)
}

// scoreBlindBatches scores every folder data/blind* holding a labels.jsonl, in
// batch order ("blind" first, then by number), so a new batch is measured as soon
// as it is merged, without a code change.
func scoreBlindBatches(data string) ([]blindBatch, error) {
	dirs, err := filepath.Glob(filepath.Join(data, "blind*"))
	if err != nil {
		return nil, err
	}
	sort.Slice(dirs, func(i, j int) bool { return batchLess(filepath.Base(dirs[i]), filepath.Base(dirs[j])) })
	var out []blindBatch
	for _, dir := range dirs {
		r, err := scoreBlind(dir)
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, blindBatch{dir: filepath.Base(dir), status: statusOf(filepath.Base(dir)), report: r})
		}
	}
	return out, nil
}

// batchLess orders blind folder names by their number ("blind" is 0), then by name.
func batchLess(a, b string) bool {
	na, nb := batchNumber(a), batchNumber(b)
	if na != nb {
		return na < nb
	}
	return a < b
}

func batchNumber(dir string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(dir, "blind"))
	if err != nil {
		if dir == "blind" {
			return 0
		}
		return math.MaxInt
	}
	return n
}

// scoreBlind scores the blind batch in dir with the rules, or returns nil when dir
// holds none.
func scoreBlind(dir string) (*evalset.Report, error) {
	return scoreBlindWith(dir, specialcat.Detect)
}

func scoreBlindWith(dir string, detect specialcat.TextDetector) (*evalset.Report, error) {
	if st, err := os.Stat(filepath.Join(dir, "labels.jsonl")); err != nil || st.IsDir() {
		return nil, nil
	}
	set, err := evalset.LoadBlind(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(dir), err)
	}
	return evalset.Score(set, evalset.Blind, evalset.DetectFunc(detect)), nil
}

// writeDefaultMode puts the detector cvetl runs by default (DefaultLearnedMode)
// beside the rules on every blind batch, document level pooled over categories, then
// scores it category by category on the batches never tuned on: what a user of the
// defaults can expect on text nobody tuned for. The sections after it score the
// rules alone, category by category.
func writeDefaultMode(w io.Writer, data string, batches []blindBatch) error {
	detect, err := specialcat.DetectorFor(specialcat.DefaultLearnedMode)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n### The default detector (`learned: %s`) beside the rules, every blind batch\n\n", specialcat.DefaultLearnedMode)
	fmt.Fprintf(w, "Document level, pooled over the nine categories. \"Tuned on\": a tuning pass read the batch's errors. The embedded model was trained on the groups listed in `tools/trainspecial` (authorGroups), never on a batch marked no.\n\n")
	fmt.Fprintf(w, "| batch | tuned on | rules P / R / F2 | %s P / R / F2 | traps tagged (rules, %s) | hard sentences tagged (rules, %s) |\n|---|---|---|---|---|---|\n",
		specialcat.DefaultLearnedMode, specialcat.DefaultLearnedMode, specialcat.DefaultLearnedMode)
	var unseen []blindBatch
	for _, b := range batches {
		d, err := scoreBlindWith(filepath.Join(data, b.dir), detect)
		if err != nil {
			return err
		}
		r, m := evalset.Total(b.report.Doc, evalset.Categories), evalset.Total(d.Doc, evalset.Categories)
		fmt.Fprintf(w, "| %s | %s | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %d, %d of %d | %d, %d of %d |\n",
			b.status.name, yesNo(b.status.tunedOn), r.Precision(), r.Recall(), r.F2(), m.Precision(), m.Recall(), m.F2(),
			b.report.TrapHits, d.TrapHits, d.Traps, b.report.HardHits, d.HardHits, d.HardSents)
		if !b.status.tunedOn {
			unseen = append(unseen, blindBatch{dir: b.dir, status: b.status, report: d})
		}
	}
	for _, b := range unseen {
		fmt.Fprintf(w, "\n#### %s, never tuned on: the default detector, category by category\n\n", b.status.name)
		b.report.WriteMarkdown(w)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// The generated part of an output file sits between these markers, so that the
// hand-written method and history around it survive a re-run.
const (
	beginMark = "<!-- evalspecial:begin -->"
	endMark   = "<!-- evalspecial:end -->"
)

// writeOut writes the results to path: between the markers when the file has
// them, else the whole file.
func writeOut(path string, results []byte) error {
	old, err := os.ReadFile(path)
	if err == nil {
		s := string(old)
		i, j := strings.Index(s, beginMark), strings.Index(s, endMark)
		if i >= 0 && j > i {
			s = s[:i+len(beginMark)] + "\n" + string(results) + s[j:]
			return os.WriteFile(path, []byte(s), 0o644)
		}
	}
	return os.WriteFile(path, results, 0o644)
}

func writeMarkdown(w io.Writer, held, blind, tune *evalset.Report, pr *evalset.PresidioReport) {
	fmt.Fprintf(w, "Generated on %s by `go run ./tools/evalspecial -data testdata/eval -presidio ../shared/corpus/external/presidio -markdown -o docs/quality-special-categories.md`.\n\n",
		time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(w, "### Held-out split\n\n")
	held.WriteMarkdown(w)
	if s := held.Shortfalls(); len(s) > 0 {
		fmt.Fprintf(w, "\nBelow target (P and R ≥ %.2f, biometric aside): %v\n", evalset.TargetPrecision, s)
	} else {
		fmt.Fprintf(w, "\nEvery category but biometric is at or above P and R %.2f at every level, and no hard negative is tagged.\n", evalset.TargetPrecision)
	}
	fmt.Fprintf(w, "\n#### Batch 2 held-out only\n\n")
	blind.WriteMarkdown(w)
	fmt.Fprintf(w, "\n### Tune split (the detectors were tuned on these errors)\n\n")
	tune.WriteMarkdown(w)
	if pr != nil {
		fmt.Fprintf(w, "\n### Presidio synthetic sentences (NRP: religion and politics)\n\n")
		fmt.Fprintf(w, "| sentences | NRP spans | religious NRP spans | tagged religious_beliefs | political NRP spans | tagged political_opinions | religion tags elsewhere | political tags elsewhere |\n|---|---|---|---|---|---|---|---|\n")
		fmt.Fprintf(w, "| %d | %d | %d | %d | %d | %d | %d | %d |\n", pr.Sentences, pr.NRPSpans, pr.ReligionSpans, pr.ReligionFound,
			pr.PoliticalSpans, pr.PoliticalFound, pr.ReligionFP, pr.PoliticalFP)
	}
}
