// Package config loads and validates cvetl.yaml: where inputs come from (and which
// provenance channel each path implies), resource limits, and per-source CSV mappings.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cvetl/cvetl/classifiers/specialcat"
	"github.com/cvetl/cvetl/extractors"
	"github.com/cvetl/cvetl/profile"
)

// Config is the whole of cvetl.yaml. Every field has a safe default.
type Config struct {
	// Workers is the extraction pool size; 0 means one per CPU.
	Workers int `yaml:"workers"`
	// DefaultChannel applies to inputs no source rule matches.
	DefaultChannel string       `yaml:"default_channel"`
	Sources        []SourceRule `yaml:"sources"`
	Limits         Limits       `yaml:"limits"`
	CSVMappings    []CSVMapping `yaml:"csv_mappings"`
	// SpecialCategories records the Art. 9 / Art. 10 condition the controller relies on
	// for special-category data, by where it was found.
	SpecialCategories SpecialCategories `yaml:"special_categories"`
	Review            Review            `yaml:"review"`
	// Lake is where the Parquet lake lives (cvetl lake …, cvetl ingest --lake).
	Lake Lake `yaml:"lake"`
	// Stats configures the analyst statistics (cvetl stats).
	Stats Stats `yaml:"stats"`
	// Matching configures candidate–vacancy matching.
	Matching Matching `yaml:"matching"`
}

// Review configures the reviewer workflow.
type Review struct {
	// FourEyesSpecial requires two different reviewers to approve a manifest row whose
	// subject has special-category data.
	FourEyesSpecial bool `yaml:"four_eyes_special"`
}

// Lake locates the Parquet lake. Flags and CVETL_LAKE / CVETL_S3_SSE /
// CVETL_S3_SSE_KMS_KEY_ID override it.
type Lake struct {
	Location    string `yaml:"location"`       // a folder or s3://bucket/prefix; "" = no lake
	SSE         string `yaml:"sse"`            // "", AES256 (SSE-S3) or aws:kms (SSE-KMS)
	SSEKMSKeyID string `yaml:"sse_kms_key_id"` // KMS key for aws:kms; "" = the account's default
}

// Stats configures disclosure control for the analyst release.
type Stats struct {
	// K is the least number of distinct subjects behind a released count; 0 means 10.
	// Below 5 is refused.
	K int `yaml:"k"`
}

// StatsK resolves the threshold: the configured k or the default 10.
func (c Config) StatsK() int {
	if c.Stats.K == 0 {
		return 10
	}
	return c.Stats.K
}

// SpecialCategories maps where special-category data was found to the condition
// for holding it. A finding no entry covers gets no condition and is flagged for review.
type SpecialCategories struct {
	// Sections maps a section heading (matched case-insensitively as a substring:
	// "equal opportunities", "health declaration") to a condition.
	Sections map[string]string `yaml:"sections"`
	// Channels maps a source channel to a condition, e.g. a client's form that asks
	// for explicit consent.
	Channels map[string]string `yaml:"channels"`
	// Learned is how the learned model joins the rules: vetted (the default), off
	// (rules alone), backstop or union (docs/quality-special-categories.md).
	Learned specialcat.LearnedMode `yaml:"learned"`
}

// Conditions are the Art. 9(2) / Art. 10 (DPA 2018 Sch. 1) conditions cvetl records.
var Conditions = []string{"explicit_consent", "employment_law", "equal_opportunities_monitoring",
	"occupational_health", "legal_claims", "made_public_by_subject", "vital_interests"}

// SourceRule maps inputs whose path (relative to the ingest root) starts with Match to
// a provenance channel: what Article 14 notices will name as the source.
type SourceRule struct {
	Match   string `yaml:"match"`
	Channel string `yaml:"channel"`
	// CSVMapping names a csv_mappings entry to force for CSV exports from this source.
	CSVMapping string `yaml:"csv_mapping"`
}

// Limits bound the memory and time one input may take.
type Limits struct {
	MaxFileBytes         int64 `yaml:"max_file_bytes"`
	MaxDecompressedBytes int64 `yaml:"max_decompressed_bytes"`
}

// CSVMapping maps an applicant export's header names to profile fields.
type CSVMapping struct {
	Name     string            `yaml:"name"`
	Columns  map[string]string `yaml:"columns"`   // header → field
	FreeText []string          `yaml:"free_text"` // headers kept as text for the classifiers
}

// Default returns the configuration used when no file is given.
func Default() Config {
	return Config{
		DefaultChannel:    "direct",
		SpecialCategories: SpecialCategories{Learned: specialcat.DefaultLearnedMode},
		Limits: Limits{
			MaxFileBytes:         extractors.DefaultLimits.MaxFileBytes,
			MaxDecompressedBytes: extractors.DefaultLimits.MaxDecompressedBytes,
		},
		Matching: DefaultMatching(),
	}
}

// Load reads a YAML config file over the defaults. Unknown keys are errors, so a typo
// cannot silently drop a rule.
func Load(path string) (Config, error) {
	cfg := Default()
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) { // empty file: defaults
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Validate reports the first invalid field, naming it.
func (c Config) Validate() error {
	if c.Workers < 0 {
		return fmt.Errorf("workers: must be ≥ 0, got %d", c.Workers)
	}
	if _, err := profile.ParseChannel(c.DefaultChannel); err != nil {
		return fmt.Errorf("default_channel: %w", err)
	}
	mappings := map[string]bool{}
	for i, m := range c.CSVMappings {
		if m.Name == "" {
			return fmt.Errorf("csv_mappings[%d].name: required", i)
		}
		if len(m.Columns) == 0 && len(m.FreeText) == 0 {
			return fmt.Errorf("csv_mappings[%d] (%s).columns: required", i, m.Name)
		}
		if err := m.extractorMapping().Validate(); err != nil {
			return fmt.Errorf("csv_mappings[%d] (%s): %w", i, m.Name, err)
		}
		mappings[m.Name] = true
	}
	for i, s := range c.Sources {
		if s.Match == "" {
			return fmt.Errorf("sources[%d].match: required", i)
		}
		if _, err := profile.ParseChannel(s.Channel); err != nil {
			return fmt.Errorf("sources[%d].channel: %w", i, err)
		}
		if s.CSVMapping != "" && !mappings[s.CSVMapping] {
			return fmt.Errorf("sources[%d].csv_mapping: no csv_mappings entry named %q", i, s.CSVMapping)
		}
	}
	for heading, cond := range c.SpecialCategories.Sections {
		if !slices.Contains(Conditions, cond) {
			return fmt.Errorf("special_categories.sections[%q]: unknown condition %q (known: %v)", heading, cond, Conditions)
		}
	}
	for ch, cond := range c.SpecialCategories.Channels {
		if _, err := profile.ParseChannel(ch); err != nil {
			return fmt.Errorf("special_categories.channels[%q]: %w", ch, err)
		}
		if !slices.Contains(Conditions, cond) {
			return fmt.Errorf("special_categories.channels[%q]: unknown condition %q (known: %v)", ch, cond, Conditions)
		}
	}
	if l := c.SpecialCategories.Learned; l != "" && !slices.Contains(specialcat.LearnedModes, l) {
		return fmt.Errorf("special_categories.learned: %q, want one of %v", l, specialcat.LearnedModes)
	}
	if sse := c.Lake.SSE; sse != "" && sse != "AES256" && sse != "aws:kms" {
		return fmt.Errorf("lake.sse: %q, want AES256 (SSE-S3) or aws:kms (SSE-KMS)", sse)
	}
	if c.Lake.SSEKMSKeyID != "" && c.Lake.SSE != "aws:kms" {
		return errors.New("lake.sse_kms_key_id: only meaningful with sse: aws:kms")
	}
	if c.Stats.K != 0 && c.Stats.K < 5 {
		return fmt.Errorf("stats.k: must be at least 5 (fewer subjects per count can identify people), got %d", c.Stats.K)
	}
	if err := c.Matching.Validate(); err != nil {
		return err
	}
	if c.Limits.MaxFileBytes <= 0 || c.Limits.MaxDecompressedBytes <= 0 {
		return errors.New("limits: max_file_bytes and max_decompressed_bytes must be positive")
	}
	return nil
}

// WorkerCount resolves Workers=0 to the number of CPUs.
func (c Config) WorkerCount() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.NumCPU()
}

// ExtractorLimits converts the limits for the extractors.
func (c Config) ExtractorLimits() extractors.Limits {
	l := extractors.DefaultLimits
	l.MaxFileBytes = c.Limits.MaxFileBytes
	l.MaxDecompressedBytes = c.Limits.MaxDecompressedBytes
	return l
}

// ChannelFor returns the source rule for a path relative to the ingest root: the
// longest matching prefix wins, so "indeed/urgent/" can refine "indeed/".
func (c Config) ChannelFor(rel string) SourceRule {
	rel = strings.TrimPrefix(rel, "./")
	best := SourceRule{Channel: c.DefaultChannel}
	bestLen := -1
	for _, s := range c.Sources {
		m := strings.TrimPrefix(s.Match, "./")
		if strings.HasPrefix(rel, m) && len(m) > bestLen {
			best, bestLen = s, len(m)
		}
	}
	return best
}

// ConditionFor returns the recorded condition for special-category data found in a
// section (its heading) of an input from a channel; "" when none is recorded. The most
// specific match wins: the longest matching heading, then the channel.
func (c Config) ConditionFor(channel profile.Channel, section string) string {
	section = strings.ToLower(section)
	best, bestLen := "", 0
	for heading, cond := range c.SpecialCategories.Sections {
		h := strings.ToLower(heading)
		if h != "" && strings.Contains(section, h) && len(h) > bestLen {
			best, bestLen = cond, len(h)
		}
	}
	if best != "" {
		return best
	}
	return c.SpecialCategories.Channels[string(channel)]
}

func (m CSVMapping) extractorMapping() extractors.CSVMapping {
	return extractors.CSVMapping{Name: m.Name, Columns: m.Columns, FreeText: m.FreeText}
}

// ExtractorCSVMappings converts the configured mappings for the CSV extractor.
func (c Config) ExtractorCSVMappings() []extractors.CSVMapping {
	out := make([]extractors.CSVMapping, len(c.CSVMappings))
	for i, m := range c.CSVMappings {
		out[i] = m.extractorMapping()
	}
	return out
}
