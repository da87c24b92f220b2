package apply

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/cvetl/cvetl/review"
)

// consentTemplate is the consent request sent when a retention rule asks the person
// whether we may keep their data. It names the controller from the policy.
var consentTemplate = template.Must(template.New("consent").Parse(`From: {{.From}}
To: {{.To}}
Subject: {{.Subject}}
Date: {{.Date}}
Message-ID: <{{.MessageID}}>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Dear candidate,

{{.Controller}} holds your details on its recruitment database. Under our privacy
notice we keep them only while they are useful to you, so we are asking: would you
like us to keep your details so that we can tell you about suitable roles?

To keep your details, reply to this message saying so. If we do not hear from you,
we will archive or delete your details as our privacy notice explains.

You can also ask us for a copy of your data, to correct it, or to erase it, at any
time by replying to this message{{if .Contact}} or writing to {{.Contact}}{{end}}.

{{.Controller}}
`))

// writeConsentRequest writes a ready-to-send consent request into <out>/outbox.
func (d Deps) writeConsentRequest(ctx context.Context, opt Options, manifestID string, r review.Row) (string, error) {
	var to string
	if err := d.DB.QueryRowContext(ctx, `SELECT coalesce(subject_ref, '') FROM subjects WHERE subject_id = ?`, r.SubjectID).Scan(&to); err != nil {
		return "", fmt.Errorf("subject %s: %w", r.SubjectID, err)
	}
	if to == "" {
		return "", fmt.Errorf("subject %s has no e-mail address to ask", r.SubjectID)
	}
	ctl := d.Controller.Name
	if ctl == "" {
		ctl = "The recruitment team"
	}
	from := d.Controller.Contact
	if from == "" {
		from = "privacy@invalid.example"
	}
	sum := sha256.Sum256([]byte(manifestID + "|" + r.RowID))
	name := "consent-" + hex.EncodeToString(sum[:8]) + ".eml"
	var b bytes.Buffer
	err := consentTemplate.Execute(&b, map[string]string{
		"From": mime.QEncoding.Encode("utf-8", ctl) + " <" + from + ">", "To": to,
		"Subject":   mime.QEncoding.Encode("utf-8", "May we keep your details? ("+ctl+")"),
		"Date":      opt.Now().Format(time.RFC1123Z),
		"MessageID": hex.EncodeToString(sum[:12]) + "@cvetl", "Controller": ctl, "Contact": d.Controller.Contact,
	})
	if err != nil {
		return "", err
	}
	dir := filepath.Join(opt.OutDir, "outbox")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	body := strings.ReplaceAll(b.String(), "\n", "\r\n")
	return filepath.Join("outbox", name), writeAtomic(path, []byte(body))
}
