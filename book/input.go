package book

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxInputBytes bounds what is read into memory; 2,000 accounts with generous notes fit easily.
const maxInputBytes = 16 << 20

// decodeFile turns an uploaded file into UTF-8 text with "\n" line ends. Excel on Windows still writes
// UTF-16 ("Unicode Text") and Windows-1252 ("CSV (Comma delimited)"), so those are converted rather than
// rejected; workbooks and binary files get an error that says what to do instead.
func decodeFile(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return "", &ParseError{Line: 1, Msg: "this looks like an Excel workbook, not a CSV file; save it as \"CSV UTF-8\" and upload that"}
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		return normaliseText(decodeUTF16(data)), nil
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", &ParseError{Line: lineOf(data, i), Msg: "the file contains binary data; export it as \"CSV UTF-8\""}
	}
	if utf8.Valid(data) {
		return normaliseText(string(data)), nil
	}
	// A file mixing valid multi-byte UTF-8 with invalid bytes is damaged rather than in a legacy encoding;
	// guessing would turn every accented name into mojibake.
	bad, multi := -1, false
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			if bad < 0 {
				bad = i
			}
		case n > 1:
			multi = true
		}
		i += max(n, 1)
	}
	if multi {
		return "", &ParseError{Line: lineOf(data, bad), Msg: "the file is not valid UTF-8 text; export it as \"CSV UTF-8\""}
	}
	return normaliseText(decodeWindows1252(data)), nil
}

func decodeUTF16(data []byte) string {
	bigEndian := data[0] == 0xfe
	data = data[2:]
	units := make([]uint16, 0, len(data)/2)
	for i := 0; i+1 < len(data); i += 2 {
		if bigEndian {
			units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
		} else {
			units = append(units, uint16(data[i+1])<<8|uint16(data[i]))
		}
	}
	return string(utf16.Decode(units))
}

// cp1252 holds the characters Windows-1252 puts at 0x80–0x9F; the other bytes are Latin-1. The five
// unassigned bytes map to C1 controls (as browsers do), which the control-character check then reports.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ',
}

func decodeWindows1252(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xa0:
			b.WriteRune(cp1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// normaliseText drops a byte-order mark and turns CRLF and old-Mac CR line ends into "\n", so that line
// numbers match what an editor shows and no stray "\r" ends up in a field.
func normaliseText(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// checkText validates text that arrives as a Go string (a textarea), which may still hold invalid UTF-8.
func checkText(s string) error {
	if len(s) > maxInputBytes {
		return &ParseError{Line: 1, Msg: fmt.Sprintf("the text is longer than %d MB", maxInputBytes>>20)}
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return &ParseError{Line: lineOf([]byte(s), i), Msg: "the text is not valid UTF-8"}
			}
		}
	}
	return nil
}

// lineOf counts line ends before offset the way normaliseText will: "\r\n", "\r" and "\n" each end a line.
func lineOf(data []byte, offset int) int {
	n := 1
	for i, c := range data[:offset] {
		if c == '\n' || (c == '\r' && (i+1 >= len(data) || data[i+1] != '\n')) {
			n++
		}
	}
	return n
}
