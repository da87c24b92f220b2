package profile

import (
	"fmt"
	"strings"
	"time"
)

// Source records where one record came from: what Article 14 notices and erasure rely on.
type Source struct {
	Channel             Channel   `json:"channel"`
	ObtainedFromSubject bool      `json:"obtained_from_subject"`
	ReceivedAt          time.Time `json:"received_at"`
	FileSHA256          string    `json:"file_sha256"`
	Location            string    `json:"location"` // original path or s3:// URL
	Origin              string    `json:"origin"`   // part inside the file: "row 7", "attachment cv.pdf"
}

// Channel is how a record reached the controller, e.g. "direct" or "job_board:indeed".
type Channel string

// channelKinds are the channel kinds; those with a true value take a ":<name>" suffix.
var channelKinds = map[string]bool{
	"direct": false, "job_board": true, "linkedin": false, "social": true,
	"referee": false, "former_employer": false, "agency": true, "public_profile": false,
}

// ParseChannel validates a channel string such as "job_board:indeed".
func ParseChannel(s string) (Channel, error) {
	kind, name, hasName := strings.Cut(s, ":")
	named, ok := channelKinds[kind]
	if !ok {
		return "", fmt.Errorf("unknown channel kind %q (want direct, job_board:<name>, linkedin, social:<name>, referee, former_employer, agency:<name> or public_profile)", kind)
	}
	if named && (!hasName || name == "") {
		return "", fmt.Errorf("channel %q needs a name, e.g. %s:<name>", s, kind)
	}
	if !named && hasName {
		return "", fmt.Errorf("channel %q takes no name", kind)
	}
	return Channel(s), nil
}

// ObtainedFromSubject reports whether data from this channel came from the person
// themselves (Article 13) rather than from a third party (Article 14).
func (c Channel) ObtainedFromSubject() bool { return c == "direct" }
