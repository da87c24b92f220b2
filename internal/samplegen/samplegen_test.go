package samplegen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/config"
	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/profile"
)

const committed = "../../testdata"

const regenerate = "go run ./tools/gensamples -testdata testdata"

// listFiles returns every regular file under dir, slash-separated and relative.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestCommittedTestdataMatchesGenerator keeps testdata/ byte-identical to what the
// generator writes, so the corpus cannot drift from the code that documents it.
func TestCommittedTestdataMatchesGenerator(t *testing.T) {
	if _, err := os.Stat(filepath.Join(committed, "inbox")); err != nil {
		t.Fatalf("no committed inbox (%v); run %s", err, regenerate)
	}
	fresh := t.TempDir()
	if err := WriteTestdata(fresh); err != nil {
		t.Fatal(err)
	}
	want := listFiles(t, filepath.Join(fresh, "inbox"))
	got := listFiles(t, filepath.Join(committed, "inbox"))
	if !slices.Equal(got, want) {
		t.Errorf("testdata/inbox files differ from the generator's; run %s and delete stale files\n got: %q\nwant: %q", regenerate, got, want)
	}
	names := []string{"events.jsonl", "cvetl.yaml", "README.md"}
	for _, f := range want {
		names = append(names, "inbox/"+f)
	}
	for _, name := range names {
		a, err := os.ReadFile(filepath.Join(fresh, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(committed, name))
		if err != nil {
			t.Errorf("testdata/%s: %v; run %s", name, err, regenerate)
			continue
		}
		if !bytes.Equal(a, b) {
			t.Errorf("testdata/%s differs from the generator's output; run %s", name, regenerate)
		}
	}
}

func TestGeneratorIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := WriteInbox(d); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range listFiles(t, a) {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s: two runs gave different bytes", f)
		}
	}
	if !reflect.DeepEqual(CV(42), CV(42)) {
		t.Error("CV(42) differs between calls")
	}
	if reflect.DeepEqual(CV(1), CV(2)) {
		t.Error("CV(1) and CV(2) are equal")
	}
}

func TestManifest(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cvetl.yaml"), []byte(ConfigYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "cvetl.yaml"))
	if err != nil {
		t.Fatalf("ConfigYAML does not load: %v", err)
	}
	es := Manifest()
	if len(es) < 40 {
		t.Errorf("inbox has %d files, want at least 40", len(es))
	}
	seen := map[string]bool{}
	formats := map[string]bool{}
	for _, e := range es {
		t.Run(e.Path, func(t *testing.T) {
			if seen[e.Path] {
				t.Fatal("duplicate path")
			}
			seen[e.Path] = true
			if got := cfg.ChannelFor(e.Path).Channel; got != e.Channel {
				t.Errorf("channel: config gives %q, manifest says %q", got, e.Channel)
			}
			if _, err := profile.ParseChannel(e.Channel); err != nil {
				t.Error(err)
			}
			if got := string(extractors.Sniff(e.Data())); got != e.Sniff {
				t.Errorf("Sniff = %s, manifest says %s (if the sniffer changed on purpose, update the manifest and run %s)", got, e.Sniff, regenerate)
			}
			formats[e.Sniff] = true
			people := e.People()
			switch {
			case e.Reason != "":
				if e.Candidates != 0 || len(people) != 0 || !strings.HasPrefix(e.Path, "bad/") {
					t.Error("a quarantined file must live in bad/ and yield nothing")
				}
				if extractors.Reason(e.Reason).Advice() == "" {
					t.Errorf("unknown quarantine reason %q", e.Reason)
				}
			case e.Vacancies > 0:
				if len(people) != 0 {
					t.Error("a feed holds no candidates")
				}
			default:
				if len(people) != e.Candidates {
					t.Errorf("Candidates = %d but People has %d", e.Candidates, len(people))
				}
			}
			for _, s := range e.Special {
				_, cat, ok := strings.Cut(s, ": ")
				if !ok {
					cat = s
				}
				if !slices.Contains(categories, profile.Category(cat)) {
					t.Errorf("special %q: not a category", s)
				}
			}
			if len(people) == 1 && !slices.Equal(people[0].Special, e.Special) {
				t.Errorf("Special = %q but the person volunteers %q", e.Special, people[0].Special)
			}
		})
	}
	for _, f := range []string{"pdf", "docx", "text", "html", "jsonresume", "csv", "eml", "vacancy_xml", "vacancy_csv", "doc", "image", "json", "zip"} {
		if !formats[f] {
			t.Errorf("no inbox file sniffs as %s", f)
		}
	}
}

var categories = []profile.Category{profile.RacialEthnicOrigin, profile.PoliticalOpinions,
	profile.ReligiousBeliefs, profile.TradeUnionMembership, profile.Genetic, profile.Biometric,
	profile.Health, profile.SexLifeOrientation, profile.CriminalConvictions}

// TestIdentityCases checks that the only people who share an e-mail, a phone or a
// name across the inbox are the designed identity cases.
func TestIdentityCases(t *testing.T) {
	type rec struct{ file, name, email, phone string }
	var recs []rec
	for _, e := range Manifest() {
		for _, p := range e.People() {
			recs = append(recs, rec{e.Path, p.Name(), p.Email, p.PhoneE164()})
		}
	}
	byKey := func(key func(rec) string) map[string][]rec {
		m := map[string][]rec{}
		for _, r := range recs {
			if k := key(r); k != "" {
				m[k] = append(m[k], r)
			}
		}
		return m
	}
	var sharedEmail, sharedPhone, sharedName []string
	for k, rs := range byKey(func(r rec) string { return r.email }) {
		if len(rs) > 1 {
			sharedEmail = append(sharedEmail, k)
		}
		for _, r := range rs {
			if r.name != rs[0].name {
				t.Errorf("e-mail %s is used by %s and %s", k, r.name, rs[0].name)
			}
		}
	}
	for k, rs := range byKey(func(r rec) string { return r.phone }) {
		if len(rs) > 1 {
			sharedPhone = append(sharedPhone, k)
		}
		for _, r := range rs {
			if r.name != rs[0].name {
				t.Errorf("phone %s is used by %s and %s", k, r.name, rs[0].name)
			}
		}
	}
	for k, rs := range byKey(func(r rec) string { return r.name }) {
		for _, r := range rs {
			if r.email != rs[0].email && r.email != "" && rs[0].email != "" {
				sharedName = append(sharedName, k)
				break
			}
		}
	}
	sort.Strings(sharedEmail)
	sort.Strings(sharedPhone)
	if want := []string{"amara.okafor@example.com"}; !slices.Equal(sharedEmail, want) {
		t.Errorf("e-mails in more than one record: %q, want %q", sharedEmail, want)
	}
	if want := []string{"+447700900123", "+447700900456"}; !slices.Equal(sharedPhone, want) {
		t.Errorf("phones in more than one record: %q, want %q", sharedPhone, want)
	}
	if want := []string{"James Smith"}; !slices.Equal(sharedName, want) {
		t.Errorf("names shared by different people: %q, want %q", sharedName, want)
	}
}

func TestEvents(t *testing.T) {
	subjects := map[string]bool{}
	for _, e := range Manifest() {
		for _, p := range e.People() {
			subjects[p.Email] = true
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(Events()))
	n, bad := 0, 0
	for sc.Scan() {
		n++
		var ev profile.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		ok := ev.Validate() == nil && subjects[ev.Subject]
		if !ok {
			bad++
		}
		if wantBad := sampleEvents[n-1].bad != ""; ok == wantBad {
			t.Errorf("line %d (%s %s): valid=%v, want valid=%v", n, ev.Subject, ev.Event, ok, !wantBad)
		}
	}
	if n < 15 || bad != 2 {
		t.Errorf("%d lines, %d bad; want ~15 lines with 2 bad", n, bad)
	}
}

func TestRenderersSniff(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		c := CV(seed)
		for want, data := range map[extractors.Format][]byte{
			extractors.FormatText:       []byte(Text(c)),
			extractors.FormatHTML:       []byte(HTML(c)),
			extractors.FormatJSONResume: JSONResume(c),
			extractors.FormatPDF:        PDF(c, seed%2 == 0),
			extractors.FormatDOCX:       DOCX(c),
		} {
			if got := extractors.Sniff(data); got != want {
				t.Errorf("CV(%d) as %s sniffs as %s", seed, want, got)
			}
		}
		if !json.Valid(JSONResume(c)) {
			t.Errorf("CV(%d): JSON Resume is not valid JSON", seed)
		}
	}
}

// TestTwoColumnKeepsEverything guards the overflow logic: synth cuts off what does
// not fit a two-column page, so every word must still be placed on some page.
func TestTwoColumnKeepsEverything(t *testing.T) {
	words := func(lines []string) int {
		n := 0
		for _, l := range lines {
			n += len(strings.Fields(strings.TrimPrefix(l, "# ")))
		}
		return n
	}
	for seed := uint64(1); seed <= 60; seed++ {
		c := newCandidate(seed, Options{Jobs: 2 + int(seed%10), Bullets: 2 + int(seed%4)})
		left, right := c.sidebarLines(), c.mainColumnLines()
		placed := 0
		for _, p := range twoColumnPages(left, right) {
			for _, l := range p.Lines {
				placed += len(strings.Fields(l.Text))
			}
		}
		if want := words(left) + words(right); placed != want {
			t.Errorf("seed %d: %d of %d words placed", seed, placed, want)
		}
	}
}

func TestSynthetic(t *testing.T) {
	dir := t.TempDir()
	if err := Synthetic(25, 7, dir, ""); err != nil {
		t.Fatal(err)
	}
	files := listFiles(t, dir)
	if len(files) != 25 {
		t.Fatalf("wrote %d files, want 25", len(files))
	}
	exts := map[string]int{}
	pages := map[int]bool{}
	for i, f := range files {
		if want := "cv-" + pad6(i+1); !strings.HasPrefix(f, want+".") {
			t.Errorf("file %d is %s, want %s.*", i+1, f, want)
		}
		exts[filepath.Ext(f)]++
		if filepath.Ext(f) == ".pdf" {
			data, _ := os.ReadFile(filepath.Join(dir, f))
			n := bytes.Count(data, []byte("/Type /Page "))
			if n < 1 || n > 3 {
				t.Errorf("%s has %d pages, want 1–3", f, n)
			}
			pages[n] = true
		}
	}
	if len(exts) < 3 {
		t.Errorf("extensions %v: want a mix", exts)
	}
	if !pages[1] || !pages[2] || !pages[3] {
		t.Errorf("page counts seen %v, want 1, 2 and 3", pages)
	}
	again := t.TempDir()
	if err := Synthetic(25, 7, again, ""); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, _ := os.ReadFile(filepath.Join(again, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between runs", f)
		}
	}

	txt := t.TempDir()
	if err := Synthetic(3, 1, txt, "txt=1"); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, txt); !slices.Equal(got, []string{"cv-000001.txt", "cv-000002.txt", "cv-000003.txt"}) {
		t.Errorf("txt-only mix wrote %q", got)
	}
	for _, bad := range []string{"pdf", "rtf=1", "pdf=-1", "pdf=0,txt=0", "pdf=1,pdf=2"} {
		if _, _, err := ParseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) accepted", bad)
		}
	}
}

func pad6(n int) string {
	s := "000000" + itoa(n)
	return s[len(s)-6:]
}

func TestOversize(t *testing.T) {
	b := Oversize(100_001)
	if len(b) != 100_001 || extractors.Sniff(b) != extractors.FormatText {
		t.Errorf("Oversize: %d bytes sniffing as %s", len(b), extractors.Sniff(b))
	}
}

func TestCandidateValues(t *testing.T) {
	c := amara()
	for got, want := range map[string]string{
		c.PhoneE164(): "+447700900123", c.NICompact(): "JT482719B", c.DateOfBirthISO(): "1988-03-14",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	for _, p := range []string{"+44 (0)7700 900245", "07700900462", "+44 7700 900734", "07700 900 123"} {
		if got := (Candidate{Phone: p}).PhoneE164(); len(got) != 13 || !strings.HasPrefix(got, "+447700900") {
			t.Errorf("PhoneE164(%q) = %q", p, got)
		}
	}
	// Every generated NI number has a prefix HMRC issues.
	for seed := uint64(0); seed < 300; seed++ {
		ni := newCandidate(seed, Options{WithNI: true}).NICompact()
		if len(ni) != 9 || strings.ContainsAny(ni[:2], "DFIQUV") || ni[1] == 'O' ||
			slices.Contains([]string{"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}, ni[:2]) || !strings.ContainsAny(ni[8:], "ABCD") {
			t.Fatalf("seed %d: bad NI number %q", seed, ni)
		}
	}
}
