package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/cvetl/cvetl/extractors"
)

func shape(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsUpper(r):
			return 'X'
		case unicode.IsLower(r):
			return 'x'
		case unicode.IsDigit(r):
			return '9'
		}
		return r
	}, s)
}

func TestTmpExplore(t *testing.T) {
	for _, p := range strings.Split(os.Getenv("FILES"), ",") {
		data, _ := os.ReadFile(p)
		d, err := extractors.Extract(context.Background(), extractors.Input{Name: p, Data: data}, extractors.DefaultLimits)
		if err != nil { fmt.Println("FILE", p[strings.LastIndex(p, "/")+1:], "err reason:", extractors.ReasonOf(err), err) }
		if d == nil {
			continue
		}
		for _, pt := range d.Parts {
			ls := strings.Split(pt.Text, "\n")
			for i, l := range ls {
				if i > 12 {
					break
				}
				fmt.Printf("  %q\n", shape(l))
			}
		}
	}
}
