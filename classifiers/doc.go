// Package classifiers turns the plain text of a CV into profile fields: name, contact
// details, sections, employment, education and skills. Every extractor is
// conservative: a value it is not sure of is left out, never guessed, because the
// result feeds retention and matching decisions about a real person.
//
// Word lists (skills taxonomy, section headings, UK towns, job-title words) are
// readable data files under data/, embedded into the binary and loaded once.
// Nothing here logs, and no error or panic message carries text from a CV.
package classifiers
