package extractors

import (
	"bytes"
	"context"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

func init() { Register(FormatText, textExtractor{}) }

// textExtractor reads plain text in UTF-8, UTF-16 (with or without a BOM), or
// Windows-1252.
type textExtractor struct{}

func (textExtractor) Extract(ctx context.Context, in Input, _ Limits) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, utf16BOM, err := decodePlainText(in.Data)
	if err != nil {
		return nil, err
	}
	// Sniff sends every file with a UTF-16 BOM here; an HTML CV saved as UTF-16
	// (Word's "Unicode" web page) must still lose its markup.
	if utf16BOM && Sniff([]byte(s)) == FormatHTML {
		return htmlDocument(ctx, s)
	}
	return textDocument(FormatText, s)
}

// decodePlainText returns data as UTF-8 and whether it carried a UTF-16 BOM.
func decodePlainText(data []byte) (s string, utf16BOM bool, err error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		s, err = decodeUTF8AfterBOM(data[3:], 3)
	case bytes.HasPrefix(data, []byte("\xFF\xFE")):
		s, err = decodeUTF16(data[2:], binary.LittleEndian, 2)
		utf16BOM = true
	case bytes.HasPrefix(data, []byte("\xFE\xFF")):
		s, err = decodeUTF16(data[2:], binary.BigEndian, 2)
		utf16BOM = true
	default:
		if order, ok := bomlessUTF16(data); ok {
			s, err = decodeUTF16(data, order, 0)
			return s, true, err
		}
		s, err = decodeUTF8OrCP1252(data)
	}
	return s, utf16BOM, err
}

// bomlessUTF16 recognises UTF-16 written without a byte-order mark, as some exporters
// and "Unicode text" savers do: mostly-Latin text has a zero high byte in nearly every
// code unit, which 8-bit text never has (it would be NUL bytes). It reads up to 1 KB
// and wants at least 16 code units and an even length; a zero code unit rules it out.
func bomlessUTF16(data []byte) (binary.ByteOrder, bool) {
	if len(data)%2 != 0 {
		return nil, false
	}
	head := data[:min(len(data), 1024)]
	units := len(head) / 2
	if units < 16 {
		return nil, false
	}
	little, big := 0, 0
	for i := 0; i+1 < len(head); i += 2 {
		switch lo, hi := head[i], head[i+1]; {
		case lo == 0 && hi == 0:
			return nil, false
		case hi == 0:
			little++
		case lo == 0:
			big++
		}
	}
	switch {
	case little*10 >= units*9:
		return binary.LittleEndian, true
	case big*10 >= units*9:
		return binary.BigEndian, true
	}
	return nil, false
}

// utf16BOM returns order's byte-order mark.
func utf16BOM(order binary.ByteOrder) []byte {
	if order == binary.BigEndian {
		return []byte("\xFE\xFF")
	}
	return []byte("\xFF\xFE")
}

// decodeUTF8AfterBOM validates data whose BOM declares UTF-8; base is the BOM length,
// so reported offsets are offsets in the file.
func decodeUTF8AfterBOM(data []byte, base int) (string, error) {
	if bad, _ := scanUTF8(data); bad >= 0 {
		return "", Errorf(ReasonEncoding, "invalid UTF-8 at byte offset %d after a UTF-8 BOM", base+bad)
	}
	return rejectBinary(data, base)
}

// decodeUTF8OrCP1252 accepts valid UTF-8, or else Windows-1252 when no byte
// sequence in the file is valid multibyte UTF-8: a file holding both was
// concatenated or edited in two encodings, and any single choice garbles part.
func decodeUTF8OrCP1252(data []byte) (string, error) {
	bad, multibyte := scanUTF8(data)
	if bad < 0 {
		return rejectBinary(data, 0)
	}
	if multibyte {
		return "", Errorf(ReasonEncoding, "mixed encodings: invalid UTF-8 at byte offset %d, valid UTF-8 elsewhere", bad)
	}
	for i, b := range data {
		if cp1252Undefined(b) {
			return "", Errorf(ReasonEncoding, "byte 0x%02X at offset %d is neither UTF-8 nor Windows-1252", b, i)
		}
	}
	if _, err := rejectBinary(data, 0); err != nil {
		return "", err
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", Errorf(ReasonEncoding, "Windows-1252 decoding failed at byte offset %d", bad)
	}
	return string(out), nil
}

// scanUTF8 returns the offset of the first invalid UTF-8 sequence (-1 if none)
// and whether any valid multibyte sequence occurs.
func scanUTF8(data []byte) (firstBad int, multibyte bool) {
	firstBad = -1
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			if firstBad < 0 {
				firstBad = i
			}
			i++
			continue
		}
		multibyte = true
		i += size
	}
	return firstBad, multibyte
}

// cp1252Undefined reports the five bytes Windows-1252 leaves unassigned.
func cp1252Undefined(b byte) bool {
	return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D
}

// rejectBinary rejects 8-bit data that is binary rather than text: NUL bytes, or
// more control bytes than stray ones in a hand-edited file.
func rejectBinary(data []byte, base int) (string, error) {
	first, n := -1, 0
	for i, b := range data {
		if b == 0 {
			return "", Errorf(ReasonEncoding, "binary data: NUL byte at offset %d", base+i)
		}
		if isBinaryControl(rune(b)) {
			n++
			if first < 0 {
				first = i
			}
		}
	}
	if n > len(data)/100+1 {
		return "", Errorf(ReasonEncoding, "binary data: %d control bytes, the first at offset %d", n, base+first)
	}
	return string(data), nil
}

// isBinaryControl reports C0 controls that text files do not contain; tab, line
// ends, form feed and the DOS end-of-file mark do occur in text.
func isBinaryControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != '\v' && r != 0x1A
}

// decodeUTF16 decodes data after a UTF-16 BOM; base is the BOM length.
func decodeUTF16(data []byte, order binary.ByteOrder, base int) (string, error) {
	if len(data)%2 != 0 {
		return "", Errorf(ReasonEncoding, "UTF-16 text with an odd byte count: stray byte at offset %d", base+len(data)-1)
	}
	units := make([]uint16, len(data)/2)
	controls := 0
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
		if units[i] == 0 {
			return "", Errorf(ReasonEncoding, "binary data: NUL character at byte offset %d", base+2*i)
		}
		if isBinaryControl(rune(units[i])) {
			controls++
		}
	}
	if controls > len(units)/100+1 {
		return "", Errorf(ReasonEncoding, "binary data: %d control characters in UTF-16 text", controls)
	}
	if i := unpairedSurrogate(units); i >= 0 {
		return "", Errorf(ReasonEncoding, "unpaired UTF-16 surrogate at byte offset %d", base+2*i)
	}
	return string(utf16.Decode(units)), nil
}

// unpairedSurrogate returns the index of the first surrogate without its
// partner, or -1.
func unpairedSurrogate(units []uint16) int {
	for i := 0; i < len(units); i++ {
		u := units[i]
		if u < 0xD800 || u > 0xDFFF {
			continue
		}
		if u <= 0xDBFF && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF {
			i++
			continue
		}
		return i
	}
	return -1
}
