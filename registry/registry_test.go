package registry

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cvetl/cvetl/sinks/duckstore"
)

func TestImportCreatesSubjectsAndRoles(t *testing.T) {
	ctx := context.Background()
	st, err := duckstore.Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), duckstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	file := `{"email":"Client@Example.com","subject_type":"client_contact","at":"2019-02-28"}
{"email":"sup@example.com","subject_type":"supplier_contact","at":"2020-06-01"}
{"email":"client@example.com","subject_type":"marketing_contact","at":"2021-01-01"}
{"email":"not an address","subject_type":"employee","at":"2020-01-01"}
{"email":"x@example.com","subject_type":"lodger","at":"2020-01-01"}
{"email":"x@example.com","subject_type":"employee","at":"2020-13-01"}
{"email":"x@example.com","subject_type":"employee","at":"2020-01-01","name":"X"}
`
	res, err := Import(ctx, st, strings.NewReader(file), "subjects.jsonl", 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Events.Imported != 3 || len(res.Errors) != 4 {
		t.Errorf("result %+v", res)
	}
	for _, e := range res.Errors {
		if strings.Contains(e.Reason, "example.com") || strings.Contains(e.Reason, "lodger") {
			t.Errorf("error quotes the input: %s", e)
		}
	}
	var n int
	var typ, created string
	st.DB().QueryRow(`SELECT count(*) FROM subjects`).Scan(&n)
	st.DB().QueryRow(`SELECT subject_type, CAST(CAST(created_at AS DATE) AS VARCHAR) FROM subjects WHERE subject_ref = 'client@example.com'`).Scan(&typ, &created)
	if n != 2 || typ != "marketing_contact" || created != "2019-02-28" {
		t.Errorf("%d subjects; client is %s created %s", n, typ, created)
	}
	var roles int
	st.DB().QueryRow(`SELECT count(*) FROM events WHERE event = 'registered' AND subject_id = 'S0000001'`).Scan(&roles)
	if roles != 2 {
		t.Errorf("client has %d registered events, want 2 (two roles)", roles)
	}
	again, err := Import(ctx, st, strings.NewReader(file), "subjects.jsonl", 2)
	if err != nil || again.Created != 0 || again.Existing != 2 || again.Events.Imported != 0 {
		t.Errorf("re-import: %+v %v", again, err)
	}
}
