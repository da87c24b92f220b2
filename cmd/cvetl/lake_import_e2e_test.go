package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cvetl/cvetl/internal/sqlrows"
	"github.com/cvetl/cvetl/restricted"
	"github.com/cvetl/cvetl/sinks/duckstore"
	"github.com/cvetl/cvetl/sinks/s3/s3test"
)

// These tests run sharded ingests with --lake, then `cvetl lake import` into a fresh
// authoritative store, and hold the result against one direct ingest of the same
// inbox: what the nightly jobs, review, notices and erasure see must not depend on
// whether the inputs went through shards.

// masterKeyFile writes a fresh local master key and returns its path.
func masterKeyFile(t *testing.T, dir, name string) string {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type importReport struct {
	Objects        int      `json:"objects"`
	Writers        []string `json:"writers"`
	ObjectsDeleted int      `json:"objects_deleted"`
	Tags           int      `json:"tags"`
	Summary        struct {
		FilesSeen           int            `json:"files_seen"`
		FilesNew            int            `json:"files_new"`
		FilesDuplicate      int            `json:"files_duplicate"`
		FilesQuarantined    int            `json:"files_quarantined"`
		QuarantinedByReason map[string]int `json:"quarantined_by_reason"`
	} `json:"summary"`
}

func runLakeImport(t *testing.T, env []string, db, out, lk string) importReport {
	t.Helper()
	r := cvetlEnv(t, env, "--config", demoConfig, "--db", db, "--out", out, "lake", "import", "--lake", lk, "--json")
	if r.code != 0 {
		t.Fatalf("lake import: exit %d: %s", r.code, r.stderr)
	}
	var rep importReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("lake import report %q: %v", r.stdout, err)
	}
	return rep
}

// TestLakeImportEqualsDirectIngest: the demo inbox ingested as three shards, each into
// its own store and writing the lake, then imported into a fresh store, gives the
// store one direct ingest gives — the same grouping of files into subjects, profiles,
// sources, files, quarantine rows, vacancies, special-category tags with their
// decrypted evidence — and `nightly` writes the same manifest rows (modulo subject
// ids). A second import adds nothing; no lake file holds evidence in clear.
func TestLakeImportEqualsDirectIngest(t *testing.T) {
	for _, where := range []string{"local", "s3"} {
		t.Run(where, func(t *testing.T) {
			dir := t.TempDir()
			env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
			// Copies of some CVs under other keys land in other shards: the import
			// must keep one, from the first location, as one ingest does.
			input, lk := withCopies(t, inbox), filepath.Join(dir, "lake")
			var srv *s3test.Server
			if where == "s3" {
				srv = s3test.StartVersioned(t)
				env = append(env, srv.Env()...)
				srv.Bucket(t, "cvs")
				srv.Bucket(t, "lake")
				srv.Versioned(t, "lake")
				srv.UploadDir(t, input, "cvs", "in/")
				input, lk = "s3://cvs/in", "s3://lake/cvetl"
			}
			direct := filepath.Join(dir, "direct", "cvetl.duckdb")
			if r := cvetlEnv(t, env, "--config", demoConfig, "--db", direct, "--out", filepath.Join(dir, "direct"), "ingest", input); r.code != 0 {
				t.Fatalf("direct ingest: exit %d: %s", r.code, r.stderr)
			}
			for i := range 3 {
				d := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
				r := cvetlEnv(t, env, "--config", demoConfig, "--db", filepath.Join(d, "cvetl.duckdb"), "--out", d,
					"ingest", "--shard", fmt.Sprintf("%d/3", i), input, "--lake", lk)
				if r.code != 0 {
					t.Fatalf("shard %d: exit %d: %s", i, r.code, r.stderr)
				}
			}
			if srv != nil {
				// The import reads a partition whoever wrote it: shards' files here,
				// the compacted file there.
				if r := cvetlEnv(t, env, "lake", "compact", "--lake", lk); r.code != 0 {
					t.Fatalf("compact: exit %d: %s", r.code, r.stderr)
				}
			}
			evidence := storeEvidence(t, direct, env)
			if len(evidence) < 3 {
				t.Fatalf("only %d evidence strings in the demo inbox: the test would prove nothing", len(evidence))
			}
			handoffs := handoffObjects(t, srv, lk)
			if len(handoffs) != 3 {
				t.Fatalf("handoff objects after three shards: %v, want one per shard", handoffs)
			}
			// The handoff holds the tags sealed: no evidence in clear, in any byte.
			for key, data := range handoffs {
				for _, ev := range evidence {
					if strings.Contains(string(data), ev.evidence) {
						t.Errorf("handoff %s holds evidence in clear (%d bytes)", key, len(ev.evidence))
					}
				}
			}

			auth := filepath.Join(dir, "auth", "cvetl.duckdb")
			rep := runLakeImport(t, env, auth, filepath.Join(dir, "auth"), lk)
			var directFiles int
			db := openDB(t, direct)
			db.QueryRow(`SELECT count(*) FROM files`).Scan(&directFiles)
			db.Close()
			if rep.Objects != 3 || rep.ObjectsDeleted != 3 || rep.Summary.FilesNew != directFiles || rep.Tags != len(evidence) ||
				rep.Summary.FilesDuplicate == 0 {
				t.Fatalf("import %+v: want 3 objects read and deleted, %d files, %d tags, and the copies in other shards counted as duplicates",
					rep, directFiles, len(evidence))
			}
			if left := handoffObjects(t, srv, lk); len(left) != 0 {
				t.Fatalf("handoff objects left after the import: %v", left)
			}
			if srv != nil {
				for k := range objectVersions(t, srv, "lake") {
					if strings.HasPrefix(k, "cvetl/_restricted/") {
						t.Fatalf("a version of a handoff object survived its deletion: %s", k)
					}
				}
			}

			want, got := storeView(t, direct, env), storeView(t, auth, env)
			for _, aspect := range []string{"groups", "subjects", "profiles", "sources", "files", "quarantine", "vacancies", "restricted"} {
				if want[aspect] != got[aspect] || want[aspect] == "" {
					t.Errorf("%s: the imported store differs from one direct ingest:\n%s", aspect, firstDiff(want[aspect], got[aspect]))
				}
			}
			// The handoff carries each file's detector (compared in "files" above): the
			// authoritative store's retag with the shards' config reads nothing again.
			if n := count(t, auth, `SELECT count(*) FROM files WHERE status = 'ingested' AND detector_fingerprint IS NULL`); n != 0 {
				t.Errorf("%d imported files lost the detector fingerprint their shard recorded", n)
			}
			r := cvetlEnv(t, env, "--config", demoConfig, "--db", auth, "--out", filepath.Join(dir, "auth"), "retag", "--json", "--dry-run")
			var rt retagSummary
			if err := json.Unmarshal([]byte(r.stdout), &rt); err != nil || r.code != 0 || rt.FilesListed != 0 ||
				rt.FilesCurrent != retagEligible(t, auth) || rt.FilesCurrent == 0 {
				t.Errorf("retag right after the import: exit %d, %+v: want every imported file current, none read (%s)", r.code, rt, r.stderr)
			}

			again := runLakeImport(t, env, auth, filepath.Join(dir, "auth"), lk)
			if again.Summary.FilesNew != 0 || again.Objects != 0 {
				t.Fatalf("second import %+v: want nothing new", again)
			}
			// The imported files are known: the same inputs ingested directly are duplicates.
			r = cvetlEnv(t, env, "--config", demoConfig, "--db", auth, "--out", filepath.Join(dir, "auth"), "ingest", "--json", input)
			if s := decodeSummary(t, r); r.code != 0 || s.FilesNew != 0 || s.FilesDuplicate != s.FilesSeen {
				t.Fatalf("direct ingest after the import: exit %d, %+v: want every file a duplicate", r.code, s)
			}
			// A shard run on the same inputs hands nothing new off, and its next handoff
			// of nothing changes nothing.
			r = cvetlEnv(t, env, "--config", demoConfig, "--db", filepath.Join(dir, "shard-0", "cvetl.duckdb"), "--out", filepath.Join(dir, "shard-0"),
				"ingest", "--shard", "0/3", input, "--lake", lk)
			if r.code != 0 || len(handoffObjects(t, srv, lk)) != 0 {
				t.Fatalf("shard re-run: exit %d, handoffs %v: %s", r.code, handoffObjects(t, srv, lk), r.stderr)
			}

			// The copies were received today: a night before that owes them no notice, so
			// the nights run tomorrow (a fixed date fails from the day after it).
			asOf := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
			for _, s := range []string{direct, auth} {
				out := filepath.Dir(s)
				cvetlEnv(t, env, "--db", s, "events", "import", "../../testdata/events.jsonl") // two bad lines on purpose
				if r := cvetlEnv(t, env, "--config", demoConfig, "--db", s, "--out", out, "nightly", "--as-of", asOf, "--policy", "121-recruitment"); r.code != 0 {
					t.Fatalf("nightly: exit %d: %s", r.code, r.stderr)
				}
			}
			wantGroups, gotGroups := subjectGroups(t, direct), subjectGroups(t, auth)
			for _, kind := range []string{"deletion", "notices", "matches"} {
				w := manifestRows(t, filepath.Join(dir, "direct", "manifests", kind+"-"+asOf+".json"), wantGroups)
				g := manifestRows(t, filepath.Join(dir, "auth", "manifests", kind+"-"+asOf+".json"), gotGroups)
				if w != g || w == "[]" {
					t.Errorf("%s manifest rows differ between the direct and the imported store:\n%s", kind, firstDiff(w, g))
				}
			}

			root := lk
			if srv != nil {
				root = filepath.Join(dir, "fetched")
				if r := cvetlEnv(t, env, "lake", "fetch", "--lake", lk, root); r.code != 0 {
					t.Fatalf("fetch: %s", r.stderr)
				}
			}
			assertNoEvidenceInParquet(t, root, evidence)
		})
	}
}

// TestLakeImportRefusesAnotherMasterKey: one shard of two ran with another master
// key. The import fails with exit 2 naming that writer, says nothing of the
// evidence, commits nothing, and leaves every handoff for a corrected re-run.
func TestLakeImportRefusesAnotherMasterKey(t *testing.T) {
	dir := t.TempDir()
	good := "CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "good.key")
	other := "CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "other.key")
	lk := filepath.Join(dir, "lake")
	for i, key := range []string{good, other} {
		d := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		// The shards keep their data: the test reads the evidence back from them.
		r := cvetlEnv(t, []string{key}, "--config", demoConfig, "--db", filepath.Join(d, "cvetl.duckdb"), "--out", d,
			"ingest", "--shard", fmt.Sprintf("%d/2", i), inbox, "--lake", lk, "--keep-shard-data")
		if r.code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, r.code, r.stderr)
		}
	}
	evidence := append(storeEvidence(t, filepath.Join(dir, "shard-0", "cvetl.duckdb"), []string{good}),
		storeEvidence(t, filepath.Join(dir, "shard-1", "cvetl.duckdb"), []string{other})...)
	if len(evidence) == 0 {
		t.Fatal("no evidence in either shard: the test would prove nothing")
	}
	auth := filepath.Join(dir, "auth", "cvetl.duckdb")
	r := cvetlEnv(t, []string{good}, "--config", demoConfig, "--db", auth, "--out", filepath.Join(dir, "auth"), "lake", "import", "--lake", lk)
	if r.code != exitFailed || !strings.Contains(r.stderr, "writer s1of2") || !strings.Contains(r.stderr, "master key") {
		t.Fatalf("import with a shard of another master key: exit %d, want %d naming writer s1of2 and the master key:\n%s", r.code, exitFailed, r.stderr)
	}
	for _, ev := range evidence {
		if strings.Contains(r.stdout+r.stderr, ev.evidence) {
			t.Errorf("the failed import's output holds evidence (%d bytes)", len(ev.evidence))
		}
	}
	if n := countRows(t, auth, "files"); n != 0 {
		t.Fatalf("the failed import committed %d files, want none", n)
	}
	if left := handoffObjects(t, nil, lk); len(left) != 2 {
		t.Fatalf("handoffs after the failed import: %d, want both kept", len(left))
	}
	// In the nightly, the failed import does not stop the retention jobs on what the
	// store holds; the exit code still reports it.
	r = cvetlEnv(t, []string{good}, "--config", demoConfig, "--db", auth, "--out", filepath.Join(dir, "auth"),
		"nightly", "--as-of", "2026-11-26", "--policy", "121-recruitment", "--import-lake", lk)
	if r.code != exitFailed || !strings.Contains(r.stderr, "writer s1of2") {
		t.Fatalf("nightly --import-lake with a shard of another master key: exit %d, want %d naming the writer:\n%s", r.code, exitFailed, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "auth", "manifests", "deletion-2026-11-26.json")); err != nil {
		t.Fatalf("the nightly jobs did not run after the failed import: %v", err)
	}
}

// handoffObjects returns the handoff objects waiting in a lake, by key.
func handoffObjects(t *testing.T, srv *s3test.Server, lk string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	if srv == nil {
		root := filepath.Join(lk, "_restricted")
		filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				b, _ := os.ReadFile(p)
				out[p] = b
			}
			return nil
		})
		return out
	}
	c := srv.Client(t)
	bucket, prefix, _ := strings.Cut(strings.TrimPrefix(lk, "s3://"), "/")
	res, err := c.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix + "/_restricted/")})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Contents {
		g, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: o.Key})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := g.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		g.Body.Close()
		out[aws.ToString(o.Key)] = []byte(b.String())
	}
	return out
}

type taggedEvidence struct{ tagID, category, evidence string }

// storeEvidence decrypts every special-category tag of a store with the master key
// its env names.
func storeEvidence(t *testing.T, db string, env []string) []taggedEvidence {
	t.Helper()
	var keyFile string
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "CVETL_MASTER_KEY_FILE="); ok {
			keyFile = v
		}
	}
	b, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	master, err := restricted.NewLocalMaster(key)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ks, err := restricted.OpenKeyStore(ctx, keyStorePath(db), master)
	if err != nil {
		t.Fatal(err)
	}
	defer ks.Close()
	st, err := duckstore.Open(ctx, db, duckstore.Options{Keys: ks})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.DB().Query(`SELECT DISTINCT subject_id FROM restricted ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		subjects = append(subjects, s)
	}
	rows.Close()
	var out []taggedEvidence
	for _, s := range subjects {
		evs, err := st.SubjectEvidence(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			out = append(out, taggedEvidence{e.TagID, string(e.Category), e.Evidence})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].tagID < out[j].tagID })
	return out
}

// storeView renders a store's tables without subject ids and run ids, which depend on
// how the inputs arrived, as text per aspect.
func storeView(t *testing.T, dbPath string, env []string) map[string]string {
	t.Helper()
	view := map[string]string{}
	var ev []string
	for _, e := range storeEvidence(t, dbPath, env) {
		ev = append(ev, fmt.Sprintf("%s %s %q", e.tagID, e.category, e.evidence))
	}
	db := openDB(t, dbPath)
	defer db.Close()
	groups := `(SELECT subject_id, CAST(list_sort(list(DISTINCT file_sha256)) AS VARCHAR) AS files FROM profiles GROUP BY subject_id)`
	queries := map[string]string{
		"groups":     `SELECT files FROM ` + groups + ` ORDER BY ALL`,
		"subjects":   `SELECT g.files, s.subject_ref, s.subject_type FROM subjects s JOIN ` + groups + ` g USING (subject_id) ORDER BY ALL`,
		"profiles":   `SELECT * EXCLUDE (subject_id, run_id) FROM profiles ORDER BY ALL`,
		"sources":    `SELECT * EXCLUDE (subject_id, run_id) FROM sources ORDER BY ALL`,
		"files":      `SELECT * EXCLUDE (run_id) FROM files ORDER BY ALL`,
		"quarantine": `SELECT * EXCLUDE (run_id, at) FROM quarantine ORDER BY ALL`,
		"vacancies":  `SELECT * EXCLUDE (run_id) FROM vacancies ORDER BY ALL`,
		"restricted": `SELECT r.* EXCLUDE (subject_id, key_id, run_id, evidence_sealed), g.files FROM restricted r JOIN ` + groups + ` g USING (subject_id) ORDER BY ALL`,
	}
	for aspect, q := range queries {
		view[aspect] = queryText(t, db, q)
	}
	view["restricted"] += "\n" + strings.Join(ev, "\n")
	return view
}

func queryText(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	lines, err := sqlrows.Lines(context.Background(), db, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return strings.Join(lines, "\n")
}

// subjectGroups maps each subject id of a store to the sorted hashes of its files: a
// name for the person that does not depend on the store.
func subjectGroups(t *testing.T, dbPath string) map[string]string {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close()
	rows, err := db.Query(`SELECT subject_id, CAST(list_sort(list(DISTINCT file_sha256)) AS VARCHAR) FROM profiles GROUP BY subject_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, files string
		rows.Scan(&id, &files)
		out[id] = files
	}
	return out
}

var subjectIDRe = regexp.MustCompile(`S\d{7}`)

// manifestRows is a manifest's rows as JSON with every subject id replaced by the
// subject's files.
func manifestRows(t *testing.T, path string, groups map[string]string) string {
	t.Helper()
	var m struct {
		Rows json.RawMessage `json:"rows"`
	}
	readJSON(t, path, &m)
	return subjectIDRe.ReplaceAllStringFunc(string(m.Rows), func(id string) string {
		if g, ok := groups[id]; ok {
			return g
		}
		return "unknown:" + id
	})
}

// assertNoEvidenceInParquet reads every Parquet file of a local lake with DuckDB and
// fails on any evidence string in any column.
func assertNoEvidenceInParquet(t *testing.T, root string, evidence []taggedEvidence) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "*", "*", "*.parquet"))
	if len(files) < 2 {
		t.Fatalf("only %d Parquet files under %s: the scan would prove nothing", len(files), root)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range files {
		for _, ev := range evidence {
			var n int
			q := `SELECT count(*) FROM read_parquet('` + f + `') t WHERE CAST(t AS VARCHAR) LIKE ? ESCAPE '\'`
			if err := db.QueryRow(q, "%"+likeEscape(ev.evidence)+"%").Scan(&n); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if n > 0 {
				t.Errorf("lake file %s holds evidence in clear (%d rows)", f, n)
			}
		}
	}
}

// TestNightlyImportsTheLakeFirst: `nightly --import-lake` brings two shards' inputs
// into a fresh store before the jobs run, so the night's manifests see them; a lake
// folder that does not exist is a usage error, not an empty import.
func TestNightlyImportsTheLakeFirst(t *testing.T) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	lk := filepath.Join(dir, "lake")
	ingestTwoShards(t, env, dir, inbox, lk)
	auth := filepath.Join(dir, "auth", "cvetl.duckdb")
	nightly := func(from string) runResult {
		return cvetlEnv(t, env, "--config", demoConfig, "--db", auth, "--out", filepath.Join(dir, "auth"),
			"nightly", "--as-of", "2026-11-26", "--policy", "121-recruitment", "--import-lake", from)
	}
	if r := nightly(filepath.Join(dir, "no-such-lake")); r.code != exitPartial || !strings.Contains(r.stderr, "no-such-lake") {
		t.Fatalf("nightly --import-lake of a missing folder: exit %d, want %d naming it: %s", r.code, exitPartial, r.stderr)
	}
	if r := nightly(lk); r.code != 0 {
		t.Fatalf("nightly --import-lake: exit %d: %s", r.code, r.stderr)
	}
	var files, imports int
	db := openDB(t, auth)
	db.QueryRow(`SELECT count(*) FROM files`).Scan(&files)
	db.QueryRow(`SELECT count(*) FROM runs WHERE kind = 'lake_import' AND status = 'completed'`).Scan(&imports)
	db.Close()
	if files != 42 || imports != 1 {
		t.Fatalf("after nightly --import-lake: %d files, %d completed imports; want the demo inbox's 42 files, one import", files, imports)
	}
	var m struct {
		RowCount int `json:"row_count"`
	}
	readJSON(t, filepath.Join(dir, "auth", "manifests", "matches-2026-11-26.json"), &m)
	if m.RowCount == 0 {
		t.Fatal("the night's match manifest is empty: the imported profiles and vacancies did not reach the jobs")
	}
	if left := handoffObjects(t, nil, lk); len(left) != 0 {
		t.Fatalf("handoffs left after nightly --import-lake: %d", len(left))
	}
}

// TestLakeImportFailsCleanly: a handoff whose sealed tags were moved between
// profiles, and a lake missing a shard's profiles, each fail the import with exit 2
// naming the writer, commit nothing and keep the handoffs; once the lake is whole
// again the import completes.
func TestLakeImportFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	lk := filepath.Join(dir, "lake")
	ingestTwoShards(t, env, dir, inbox, lk)
	auth := filepath.Join(dir, "auth", "cvetl.duckdb")
	importFails := func(want string) {
		t.Helper()
		r := cvetlEnv(t, env, "--config", demoConfig, "--db", auth, "--out", filepath.Join(dir, "auth"), "lake", "import", "--lake", lk)
		if r.code != exitFailed || !strings.Contains(r.stderr, want) {
			t.Fatalf("import: exit %d, want %d with %q:\n%s", r.code, exitFailed, want, r.stderr)
		}
		if n := countRows(t, auth, "files"); n != 0 {
			t.Fatalf("a failed import committed %d files", n)
		}
		if n := len(handoffObjects(t, nil, lk)); n != 2 {
			t.Fatalf("a failed import left %d handoffs, want both", n)
		}
	}

	// Swap two sealed tags: each is bound to its writer, profile and place.
	var tampered, original string
	var writer string
	for key, data := range handoffObjects(t, nil, lk) {
		var h map[string]any
		json.Unmarshal(data, &h)
		var tags []map[string]any
		for _, f := range h["files"].([]any) {
			ts, _ := f.(map[string]any)["tags"].([]any)
			for _, tg := range ts {
				tags = append(tags, tg.(map[string]any))
			}
		}
		if len(tags) < 2 {
			continue
		}
		tags[0]["sealed"], tags[1]["sealed"] = tags[1]["sealed"], tags[0]["sealed"]
		b, _ := json.Marshal(h)
		tampered, original, writer = key, string(data), h["writer"].(string)
		os.WriteFile(key, b, 0o600)
		break
	}
	if tampered == "" {
		t.Fatal("no handoff with two tags: the test would prove nothing")
	}
	importFails("writer " + writer)
	os.WriteFile(tampered, []byte(original), 0o600)

	// A shard's profiles missing from the lake (an export that did not finish).
	parts, _ := filepath.Glob(filepath.Join(lk, "profiles", "*", "part-s1of2.parquet"))
	if len(parts) != 1 {
		t.Fatalf("shard 1's profile files: %v", parts)
	}
	saved, _ := os.ReadFile(parts[0])
	os.Remove(parts[0])
	importFails("writer s1of2: profile")
	os.WriteFile(parts[0], saved, 0o640)

	rep := runLakeImport(t, env, auth, filepath.Join(dir, "auth"), lk)
	if rep.Summary.FilesNew != 42 {
		t.Fatalf("import once the lake is whole: %+v, want the 42 files of the demo inbox", rep)
	}
}

// TestErasureReachesWaitingHandoffs: shards handed off the inbox, and before any
// import the authoritative store (which ingested the same inbox itself) erases three
// people. `cvetl apply --lake` drops their files from the waiting handoff objects —
// sealed tags included — and reports no residue, `verify-erasure` agrees, and a later
// import brings none of them back.
func TestErasureReachesWaitingHandoffs(t *testing.T) {
	dir := t.TempDir()
	env := []string{"CVETL_MASTER_KEY_FILE=" + masterKeyFile(t, dir, "master.key")}
	db, out, lk := filepath.Join(dir, "s.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "lake")
	in := copyInbox(t, inbox, filepath.Join(dir, "inbox"), map[string]string{"default": "2024-01-15"})
	run := func(want int, args ...string) runResult {
		t.Helper()
		r := cvetlEnv(t, env, append([]string{"--db", db, "--out", out}, args...)...)
		if r.code != want {
			t.Fatalf("cvetl %s: exit %d, want %d\n%s\n%s", strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
		}
		return r
	}
	run(0, "--config", demoConfig, "ingest", in, "--lake", lk)
	ingestTwoShards(t, env, dir, in, lk)
	run(0, "nightly", "--as-of", "2026-11-26", "--policy", "it-thread")
	id, rowIDs, subjects := staleSubjects(t, run)
	shas := fileHashes(t, db, subjects)
	held := func() (theirs, others int) {
		for _, data := range handoffObjects(t, nil, lk) {
			var h struct{ Files []struct{ SHA256 string } }
			json.Unmarshal(data, &h)
			for _, f := range h.Files {
				if slices.Contains(shas, f.SHA256) {
					theirs++
				} else {
					others++
				}
			}
		}
		return
	}
	if theirs, others := held(); theirs == 0 || others == 0 {
		t.Fatalf("before the erasure the handoffs hold %d of their files and %d others: the test would prove nothing", theirs, others)
	}
	run(0, append([]string{"manifest", "approve", id}, append(rowIDs, "--reviewer", "Rev One")...)...)
	if r := run(0, "apply", "--lake", lk); !strings.Contains(r.stdout, "0 residue") {
		t.Fatalf("apply:\n%s", r.stdout)
	}
	if theirs, others := held(); theirs != 0 || others == 0 {
		t.Fatalf("after the erasure the handoffs hold %d of their files (want 0) and %d others (want kept)", theirs, others)
	}
	for _, s := range subjects {
		run(0, "verify-erasure", s, "--lake", lk)
	}
	rep := runLakeImport(t, env, db, out, lk)
	if rep.Summary.FilesNew != 0 {
		t.Fatalf("import after the erasure: %+v; the store had every file already", rep.Summary)
	}
	for _, s := range subjects {
		run(0, "verify-erasure", s, "--lake", lk)
	}
}

// ingestTwoShards ingests input as shards 0/2 and 1/2, each into its own store under
// dir/shard-<i>, writing the lake lk.
func ingestTwoShards(t *testing.T, env []string, dir, input, lk string) {
	t.Helper()
	for i := range 2 {
		d := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		if r := cvetlEnv(t, env, "--config", demoConfig, "--db", filepath.Join(d, "cvetl.duckdb"), "--out", d,
			"ingest", "--shard", fmt.Sprintf("%d/2", i), input, "--lake", lk); r.code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, r.code, r.stderr)
		}
	}
}
