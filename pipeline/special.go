package pipeline

import (
	"context"
	"strings"

	"github.com/cvetl/cvetl/classifiers"
	"github.com/cvetl/cvetl/classifiers/specialcat"
	"github.com/cvetl/cvetl/profile"
)

type detectorKey struct{}

// taggingDetector is the detector Analyse uses and its fingerprint ("" unknown).
type taggingDetector struct {
	detect      specialcat.TextDetector
	fingerprint string
}

// WithSpecialDetector makes Analyse tag special categories with detect instead of
// the rules alone (specialcat.Detect): how the operator's opt-in to the learned
// model (config special_categories.learned) reaches every input of a run. Its tags
// take the same path as the rules': section, condition, sealing, redaction. The
// results record no fingerprint, so `cvetl retag` will read them again.
func WithSpecialDetector(ctx context.Context, detect specialcat.TextDetector) context.Context {
	return WithFingerprintedDetector(ctx, detect, "")
}

// WithFingerprintedDetector is WithSpecialDetector for a detector whose
// specialcat.Fingerprint is known: every file the runner tags with it records it
// (FileResult.TaggedBy), so retag can skip files the same detector already tagged.
func WithFingerprintedDetector(ctx context.Context, detect specialcat.TextDetector, fingerprint string) context.Context {
	return context.WithValue(ctx, detectorKey{}, taggingDetector{detect, fingerprint})
}

func specialDetector(ctx context.Context) taggingDetector {
	if d, ok := ctx.Value(detectorKey{}).(taggingDetector); ok && d.detect != nil {
		return d
	}
	return taggingDetector{detect: specialcat.Detect}
}

// tagSpecialCategories finds special-category data about the candidate in a part's
// text and notes the section each finding sits in, which decides its Art. 9 condition.
func tagSpecialCategories(text string, detect specialcat.TextDetector) []profile.Tag {
	tags := detect(text)
	if len(tags) == 0 {
		return nil
	}
	sections := classifiers.Sections(text)
	for i := range tags {
		tags[i].Section = sectionAt(text, sections, tags[i].Start)
	}
	return tags
}

// sectionAt names where offset lies: a "Label: value" line (an export's screening
// question) names itself; otherwise the enclosing CV section's heading.
func sectionAt(text string, sections []classifiers.Section, offset int) string {
	lineStart := strings.LastIndexByte(text[:offset], '\n') + 1
	if label, _, ok := strings.Cut(text[lineStart:offset], ":"); ok && len(label) <= 80 && !strings.ContainsAny(label, ".!?") {
		return strings.TrimSpace(label)
	}
	for _, s := range sections {
		if s.Start <= offset && offset < s.End {
			if s.Heading != "" {
				return s.Heading
			}
			return s.Kind
		}
	}
	return ""
}

// RecordConditions sets on every special-category tag of cands the Art. 9 / Art. 10
// condition cond records for data from channel found in the tag's section; a nil cond
// records none. Ingest and `cvetl retag` both call it, so a re-tagged file gets the
// conditions its first ingest would have.
func RecordConditions(cands []ParsedCandidate, channel profile.Channel, cond func(profile.Channel, string) string) {
	if cond == nil {
		return
	}
	for i := range cands {
		tags := cands[i].Candidate.SpecialCategories
		for j := range tags {
			tags[j].Condition = cond(channel, tags[j].Section)
		}
	}
}
