package interview

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// fieldStreamer watches a JSON object arrive in pieces and passes on the text of one top-level string
// field as it arrives, decoded, so the model's question reaches the browser while it is still being
// written. It understands just enough JSON for that: strings, escapes and nesting depth.
type fieldStreamer struct {
	field string
	emit  func(string)

	depth       int
	inString    bool
	escape      bool
	unicode     []byte // pending \uXXXX digits
	key         strings.Builder
	lastKey     string
	isKey       bool // the current string is an object key
	want        bool // the next string value at depth 1 is the field
	emitting    bool
	pendingHigh rune   // first half of a surrogate pair
	carry       string // an incomplete UTF-8 sequence at the end of the last chunk
}

func (f *fieldStreamer) Write(chunk string) {
	chunk = f.carry + chunk
	f.carry = ""
	// Keep back a character cut in two by the chunking until its other half arrives.
	for back := 1; back <= 3 && back <= len(chunk); back++ {
		if utf8.RuneStart(chunk[len(chunk)-back]) {
			if !utf8.FullRuneInString(chunk[len(chunk)-back:]) {
				f.carry = chunk[len(chunk)-back:]
				chunk = chunk[:len(chunk)-back]
			}
			break
		}
	}
	var out strings.Builder
	for i := 0; i < len(chunk); i++ {
		c := chunk[i]
		if f.inString {
			f.stringByte(c, chunk, &i, &out)
			continue
		}
		switch c {
		case '{', '[':
			f.depth++
			f.isKey = c == '{'
		case '}', ']':
			f.depth--
		case ',':
			f.isKey = f.depth >= 1
			f.want = false
		case ':':
			f.isKey = false
			f.want = f.depth == 1 && f.lastKey == f.field
		case '"':
			f.inString = true
			f.key.Reset()
			f.emitting = !f.isKey && f.want
		}
	}
	if out.Len() > 0 && f.emit != nil {
		f.emit(out.String())
	}
}

func (f *fieldStreamer) stringByte(c byte, chunk string, i *int, out *strings.Builder) {
	switch {
	case f.unicode != nil:
		f.unicode = append(f.unicode, c)
		if len(f.unicode) == 4 {
			n, err := strconv.ParseUint(string(f.unicode), 16, 32)
			f.unicode = nil
			if err == nil {
				f.put(rune(n), out)
			}
		}
	case f.escape:
		f.escape = false
		switch c {
		case 'u':
			f.unicode = []byte{}
		case 'n':
			f.put('\n', out)
		case 't':
			f.put('\t', out)
		case 'r', 'b', 'f':
		default:
			f.put(rune(c), out)
		}
	case c == '\\':
		f.escape = true
	case c == '"':
		f.inString = false
		if f.isKey {
			f.lastKey = f.key.String()
		}
		if f.emitting {
			f.want = false
			f.emitting = false
		}
	default:
		// Copy a whole UTF-8 sequence at once.
		r, size := utf8.DecodeRuneInString(chunk[*i:])
		if r == utf8.RuneError && size <= 1 {
			r = rune(c)
			size = 1
		}
		*i += size - 1
		f.put(r, out)
	}
}

func (f *fieldStreamer) put(r rune, out *strings.Builder) {
	if r >= 0xD800 && r < 0xDC00 {
		f.pendingHigh = r
		return
	}
	if r >= 0xDC00 && r < 0xE000 && f.pendingHigh != 0 {
		r = (f.pendingHigh-0xD800)<<10 + (r - 0xDC00) + 0x10000
		f.pendingHigh = 0
	}
	if f.isKey {
		f.key.WriteRune(r)
		return
	}
	if f.emitting {
		out.WriteRune(r)
	}
}
