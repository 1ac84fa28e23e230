package report

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// goFonts are the embedded fonts: Go fonts cover Latin with diacritics, Cyrillic and Greek (WGL4).
var goFonts = []struct {
	family, style string
	ttf           []byte
}{
	{"go", "", goregular.TTF},
	{"go", "B", gobold.TTF},
	{"go", "I", goitalic.TTF},
	{"gomono", "", gomono.TTF},
}

// glyphSet is the set of runes every embedded font can draw (gofpdf handles only the Basic
// Multilingual Plane), and the visible character that stands in for the others.
type glyphSet struct {
	bits       [0x10000 / 64]uint64
	substitute rune
}

// fontCoverage parses the fonts once per process; the set is read-only afterwards.
var fontCoverage = sync.OnceValues(func() (*glyphSet, error) {
	g := &glyphSet{}
	for i := range g.bits {
		g.bits[i] = ^uint64(0)
	}
	var buf sfnt.Buffer
	for _, ft := range goFonts {
		font, err := sfnt.Parse(ft.ttf)
		if err != nil {
			return nil, fmt.Errorf("parse font %s %s: %w", ft.family, ft.style, err)
		}
		for r := rune(0); r < 0x10000; r++ {
			if !g.has(r) {
				continue
			}
			if i, err := font.GlyphIndex(&buf, r); err != nil || i == 0 {
				g.bits[r>>6] &^= 1 << (r & 63)
			}
		}
	}
	// Control characters have glyphs in some fonts but must never reach the page.
	for r := rune(0); r < 0x20; r++ {
		g.bits[r>>6] &^= 1 << (r & 63)
	}
	for r := rune(0x7f); r < 0xa0; r++ {
		g.bits[r>>6] &^= 1 << (r & 63)
	}
	g.substitute = '?'
	if g.has('□') {
		g.substitute = '□'
	}
	for _, r := range "•—…·–" {
		if !g.has(r) {
			return nil, fmt.Errorf("font lacks %q", r)
		}
	}
	return g, nil
})

func (g *glyphSet) has(r rune) bool {
	return r >= 0 && r < 0x10000 && g.bits[r>>6]&(1<<(r&63)) != 0
}

// keep reports whether clean leaves r as it is.
func (g *glyphSet) keep(r rune) bool { return r == '\n' || g.has(r) }

// clean returns s with every rune the fonts cannot draw replaced: line breaks are normalised to
// "\n", tabs become spaces, invisible joiners and variation selectors (the tails of emoji sequences)
// and unsupported combining marks are dropped, unknown spaces become spaces, and everything else the
// fonts lack (emoji, CJK, control characters, invalid UTF-8) becomes the substitute. Text that needs
// nothing is returned as it is, without allocating.
func (g *glyphSet) clean(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c < 0x7f || c == '\n' {
				i++
				continue
			}
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || !g.keep(r) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	rest := s[i:]
	for j := 0; j < len(rest); {
		r, n := utf8.DecodeRuneInString(rest[j:])
		j += n
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(g.substitute)
		case g.keep(r):
			b.WriteRune(r)
		case r == '\r':
			if j < len(rest) && rest[j] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case invisible(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			// Drawn as nothing by any font: dropping them keeps "👍🏽" one substitute, not two.
		case unicode.Is(unicode.Zs, r) || r == '\u2028' || r == '\u2029':
			if r == '\u2028' || r == '\u2029' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		default:
			b.WriteRune(g.substitute)
		}
	}
	return b.String()
}

// invisible runes are formatting characters with no glyph of their own.
func invisible(r rune) bool {
	switch {
	case r >= 0x200b && r <= 0x200f, r >= 0x2060 && r <= 0x2064, r == 0xfeff, r == 0x00ad:
		return true
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef: // variation selectors
		return true
	case r >= 0x1f3fb && r <= 0x1f3ff: // skin-tone modifiers
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tag characters of flag sequences
		return true
	}
	return false
}
