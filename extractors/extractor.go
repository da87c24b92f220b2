// Package extractors turns the bytes of one input file into a Document: plain text,
// structured records and metadata. The format is chosen by sniffing content, never by
// trusting the file extension; every library call is guarded so a panic becomes an error.
package extractors

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/cvetl/cvetl/profile"
)

// Format names a sniffed input format. The values appear in `cvetl parse` output.
type Format string

// Formats cvetl recognises. Legacy and image formats are recognised only to be
// quarantined with a helpful reason.
const (
	FormatPDF        Format = "pdf"
	FormatDOCX       Format = "docx"
	FormatText       Format = "text"
	FormatHTML       Format = "html"
	FormatJSONResume Format = "jsonresume"
	FormatCSV        Format = "csv"        // applicant export (CSV or TSV)
	FormatJSONLines  Format = "jsonl"      // JSON Lines export: one candidate object a line
	FormatJSONArray  Format = "json_array" // JSON export: a top-level array of candidate objects
	FormatEML        Format = "eml"
	FormatVacancyXML Format = "vacancy_xml"
	FormatVacancyCSV Format = "vacancy_csv"
	FormatLegacyDoc  Format = "doc"
	FormatImage      Format = "image"
	FormatRTF        Format = "rtf"
	FormatJSON       Format = "json" // JSON that is not a JSON Resume
	FormatZip        Format = "zip"  // a zip that is not a DOCX
	FormatUnknown    Format = "unknown"
)

// Input is one file (or one e-mail attachment) to extract.
type Input struct {
	Name string // display name: path relative to the inbox, or "msg.eml#cv.pdf"
	Data []byte
}

// Document is what an extractor produces from one input.
type Document struct {
	Format Format
	// Parts holds one entry per candidate record: one for a CV, one per row of an
	// applicant export, one per attachment of an e-mail.
	Parts []Part
	// Vacancies is filled by vacancy feeds only.
	Vacancies []profile.Vacancy
	// Problems are recoverable defects inside an otherwise good file: a ragged CSV
	// row, a corrupt e-mail attachment. The good parts are still ingested.
	Problems []Problem
}

// Part is one candidate's raw material.
type Part struct {
	// Origin says where in the file the part came from ("row 7", "attachment cv.pdf");
	// empty for a whole-file CV.
	Origin string
	// Format of the part itself (an e-mail attachment may be a PDF); empty means the
	// document's format.
	Format Format
	// Text is the plain text for the classifiers: the CV body, or the free-text columns
	// of an export row (cover letter, screening answers). Offsets in tags refer to it.
	Text string
	// Fields are values the source states in structure (CSV columns, JSON Resume
	// properties). Classifiers keep these and fill only what is missing from Text.
	Fields profile.Candidate
}

// Problem is a defect confined to one part of a file.
type Problem struct {
	Origin string // "line 14", "attachment broken.pdf"
	Reason Reason
	Detail string
}

// LogOrigin is Origin fit for a log line: an attachment's file name is often the
// person's name ("Niamh_Murphy_CV.pdf"), so only "attachment" is kept of it.
func (p Problem) LogOrigin() string {
	if strings.HasPrefix(p.Origin, "attachment ") {
		return "attachment"
	}
	return p.Origin
}

// Reason is a machine-readable quarantine reason.
type Reason string

// Quarantine reasons. Each has an operator-facing explanation in reasonAdvice.
const (
	ReasonEmpty        Reason = "empty_file"
	ReasonTooLarge     Reason = "too_large"
	ReasonUnsupported  Reason = "unsupported_format"
	ReasonLegacyDoc    Reason = "legacy_doc"
	ReasonImage        Reason = "image_file"
	ReasonEncrypted    Reason = "encrypted_pdf"
	ReasonImageOnlyPDF Reason = "image_only_pdf"
	ReasonCorrupt      Reason = "corrupt"
	ReasonZipBomb      Reason = "decompression_cap"
	ReasonEncoding     Reason = "invalid_encoding"
	ReasonMalformed    Reason = "malformed"
	ReasonBadRows      Reason = "bad_rows"
	ReasonNoText       Reason = "no_text"
	ReasonPanic        Reason = "extractor_panic"
	ReasonTimeout      Reason = "timeout"
	ReasonUnreadable   Reason = "source_unreadable"
)

var reasonAdvice = map[Reason]string{
	ReasonEmpty:        "the file is empty; ask the source to resend it",
	ReasonTooLarge:     "the file is over the size cap; raise limits.max_file_bytes if it is genuine",
	ReasonUnsupported:  "the format is not supported; convert it to PDF, DOCX or text",
	ReasonLegacyDoc:    "legacy Word .doc is not supported; save it as .docx or PDF and re-ingest",
	ReasonImage:        "this is an image, not a CV document; OCR it or ask for a text PDF",
	ReasonEncrypted:    "the PDF is password-protected; ask for an unprotected copy",
	ReasonImageOnlyPDF: "the PDF holds scanned images with no text layer; OCR it or ask for a text PDF",
	ReasonCorrupt:      "the file is damaged or truncated; ask the source to resend it",
	ReasonZipBomb:      "the archive inflates past the decompression cap; inspect it before re-ingesting",
	ReasonEncoding:     "the text is not valid in any supported encoding; re-save it as UTF-8",
	ReasonMalformed:    "the structured data does not parse; fix the syntax and re-ingest",
	ReasonBadRows:      "some rows were skipped; fix them and re-ingest the file",
	ReasonNoText:       "no text could be extracted; check the file opens and contains a CV",
	ReasonPanic:        "the parser crashed on this file; it is probably corrupt",
	ReasonTimeout:      "extraction took too long; the file may be malformed",
	ReasonUnreadable:   "the input could not be read from its source; it is retried on the next run",
}

// Advice returns what the operator should do about a reason.
func (r Reason) Advice() string { return reasonAdvice[r] }

// Error is an extraction failure with a quarantine reason. Messages never contain
// the file's content, only its name and the defect.
type Error struct {
	Reason Reason
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("%s: %s", e.Reason, e.Reason.Advice())
	}
	return fmt.Sprintf("%s: %s (%s)", e.Reason, e.Detail, e.Reason.Advice())
}

// Errorf builds an *Error with a formatted detail.
func Errorf(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...)}
}

// ReasonOf returns the quarantine reason of err, or ReasonCorrupt for plain errors.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ReasonTimeout
	}
	return ReasonCorrupt
}

// Extractor turns one input of its format into a Document.
type Extractor interface {
	Extract(ctx context.Context, in Input, lim Limits) (*Document, error)
}

// Limits bound the memory one input may take.
type Limits struct {
	MaxFileBytes         int64 // inputs larger than this are refused
	MaxDecompressedBytes int64 // zip entries (DOCX parts) may not inflate past this
	MaxAttachmentDepth   int   // e-mails inside e-mails
}

// DefaultLimits are safe for CVs: real ones are well under 10 MB.
var DefaultLimits = Limits{MaxFileBytes: 20 << 20, MaxDecompressedBytes: 64 << 20, MaxAttachmentDepth: 2}

var registry = map[Format]Extractor{}

// Register makes an extractor available for a format. Called from init functions.
func Register(f Format, e Extractor) { registry[f] = e }

// Extract sniffs the input's format and runs its extractor, recovering any panic
// into an *Error so one bad file can never stop a batch.
func Extract(ctx context.Context, in Input, lim Limits) (doc *Document, err error) {
	if len(in.Data) == 0 {
		return nil, &Error{Reason: ReasonEmpty}
	}
	if lim.MaxFileBytes > 0 && int64(len(in.Data)) > lim.MaxFileBytes {
		return nil, Errorf(ReasonTooLarge, "%d bytes, cap %d", len(in.Data), lim.MaxFileBytes)
	}
	f := Sniff(in.Data)
	switch f {
	case FormatLegacyDoc:
		return nil, &Error{Reason: ReasonLegacyDoc}
	case FormatImage:
		return nil, &Error{Reason: ReasonImage}
	case FormatRTF:
		return nil, Errorf(ReasonUnsupported, "RTF document; save it as DOCX or PDF and re-ingest")
	case FormatJSON:
		return nil, Errorf(ReasonMalformed, "JSON is not a JSON Resume (no \"basics\" object), JSON Lines or an array of records, or does not parse")
	case FormatZip, FormatUnknown:
		return nil, Errorf(ReasonUnsupported, "sniffed as %s", f)
	}
	ex, ok := registry[f]
	if !ok {
		return nil, Errorf(ReasonUnsupported, "no extractor for %s", f)
	}
	defer func() {
		if r := recover(); r != nil {
			// The panic value may quote file content, so only its type is reported.
			doc, err = nil, Errorf(ReasonPanic, "%s extractor panicked (%T)", f, r)
			if debugPanics {
				debug.PrintStack()
			}
		}
	}()
	doc, err = ex.Extract(ctx, in, lim)
	if err != nil {
		return nil, err
	}
	if doc.Format == "" {
		doc.Format = f
	}
	return doc, nil
}

// debugPanics prints stacks of recovered panics; for developers, off in production
// because a stack may hold fragments of personal data.
var debugPanics = false
