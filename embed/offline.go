package embed

// The offline embedder: signed feature hashing (the "hashing trick") plus a small domain lexicon.
//
// A text becomes words: runs of Unicode letters and digits, lower-cased. Apostrophes are dropped
// ("Dana's" → "danas") and a hyphen after a letter joins ("sign-off" → "signoff") so spellings meet;
// other characters split. Words shorter than two bytes and stop words (text.go) are dropped, so
// questions and answers meet on content words. Each remaining word adds:
//
//  1. its stem (text.go's light suffix stripping: "renewal", "renews", "renewing" → "renew"), weight 1;
//  2. the bigram of its stem with the previous remaining word's, weight 0.5, for word order ("account
//     manager" is not "manager account");
//  3. the byte trigrams of the unstemmed word padded with boundary markers ("␣ren", "ren", …, "al␣"),
//     0.3 per word shared among them, so typos and inflections the stemmer misses still overlap;
//  4. the feature of every lexicon concept (lexicon.go) its stem belongs to, weight 1, so paraphrases
//     that share no word ("who signs?" / "the CFO approves") still meet. A currency sign counts as a
//     money word.
//
// A feature's value is its mean weight times 1 + ln(tf): a word said five times matters more than one
// said once, but not five times more. Hashed features land on one of the dimensions after the
// concepts' with a sign from an independent hash bit, so collisions cancel out on average instead of
// piling up. Concepts are few and known, so each gets its own coordinate rather than risking a
// collision with another concept or a frequent word. The vector is then L2-normalised; a text with no
// features (empty, punctuation, stop words only) gets the fixed unit vector of an "<empty>" feature,
// because a zero vector has no cosine.
//
// Hashes are FNV-1a with a fixed finaliser, never per-process seeds, so a vector is the same in every
// process and release until offlineModel changes. Anything that changes output must bump that name:
// it is stored with every vector and a new name re-embeds.

import (
	"context"
	"fmt"
	"math"
	"sync"
	"unicode"
	"unicode/utf8"
)

const (
	offlineModel = "offline-hash-v1"
	offlineDims  = 384

	unigramWeight = 1.0
	bigramWeight  = 0.5
	trigramWeight = 0.3 // per word, shared by its trigrams
	// conceptWeight is 2, not 1: at 1 a proper name shared by accident (the account, asked about in the
	// question and named in every chunk of its interview) outweighed a shared concept, and the
	// paraphrase test fell from 98% to 88%; 1.5 and 2.5 both gave 96%.
	conceptWeight = 2.0

	// boundary pads a word's trigrams; it cannot occur inside a word, which holds no ASCII space.
	boundary = ' '
	// Seeds keep feature kinds apart: the trigram "abc" is not the word "abc".
	trigramSeed = 0x9e3779b97f4a7c15
	bigramSeed  = 0xbf58476d1ce4e5b9
)

// Offline is the built-in embedder: deterministic, fast, no model files, no network. The zero value
// is ready to use; it is safe for concurrent use and must not be copied after first use.
type Offline struct {
	pool sync.Pool // of *scratch: the hot path reuses its buffers instead of allocating
}

// NewOffline returns the built-in embedder.
func NewOffline() *Offline { return &Offline{} }

// Model returns "offline-hash-v1"; the suffix changes whenever the vectors do.
func (o *Offline) Model() string { return offlineModel }

// Dims returns 384.
func (o *Offline) Dims() int { return offlineDims }

// Embed returns one unit vector per text, in order. The vectors share one backing array, capped so
// that appending to one cannot overwrite the next.
func (o *Offline) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	flat := make([]float32, len(texts)*offlineDims)
	s := o.get()
	defer o.pool.Put(s)
	for i, t := range texts {
		if i%64 == 0 { // a large batch should stop soon after its caller gives up, but ctx.Err is not free
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("embed: offline: %w", err)
			}
		}
		v := flat[i*offlineDims : (i+1)*offlineDims : (i+1)*offlineDims]
		s.embed(t, v)
		out[i] = v
	}
	return out, nil
}

// Vector returns the unit vector of one text, for callers that embed a query.
func (o *Offline) Vector(text string) []float32 {
	v := make([]float32, offlineDims)
	s := o.get()
	s.embed(text, v)
	o.pool.Put(s)
	return v
}

func (o *Offline) get() *scratch {
	if s, ok := o.pool.Get().(*scratch); ok {
		return s
	}
	return newScratch()
}

// scratch holds one text's features while it is embedded. Features are counted in an open-addressing
// table keyed by their (never zero) hash, because sublinear tf needs each feature's count, and a Go
// map would allocate and hash the key a second time.
type scratch struct {
	slots    []slot
	used     []int32 // occupied slot indexes, to read and clear only those
	word     []byte
	concepts []uint32 // occurrences per lexicon concept
	prev     uint64   // stem hash of the previous remaining word, for bigrams
	hasPrev  bool
	acc      [offlineDims]float64
}

const initialSlots = 1024 // a 60-word chunk has about 500 distinct features

func newScratch() *scratch {
	return &scratch{
		slots:    make([]slot, initialSlots),
		used:     make([]int32, 0, initialSlots/2),
		word:     make([]byte, 0, 64),
		concepts: make([]uint32, len(lexicon)),
	}
}

// embed writes the unit vector of text into dst and leaves s clean for the next text.
func (s *scratch) embed(text string, dst []float32) {
	s.tokenize(text)
	s.finish(dst)
	for _, i := range s.used {
		s.slots[i] = slot{}
	}
	s.used = s.used[:0]
	clear(s.concepts)
	s.hasPrev = false
	// One huge text should not pin huge buffers in the pool.
	if len(s.slots) > 16*initialSlots {
		s.slots, s.used = make([]slot, initialSlots), make([]int32, 0, initialSlots/2)
	}
	if cap(s.word) > 4096 {
		s.word = make([]byte, 0, 64)
	}
}

// tokenize splits text into words and emits each, without allocating: ASCII takes a fast path, and
// invalid UTF-8 decodes to RuneError, which is neither letter nor digit and so splits.
func (s *scratch) tokenize(text string) {
	w := s.word[:0]
	plain := true // only ASCII letters so far: the stemmer handles nothing else
	flush := func() {
		if len(w) >= 2 {
			s.emit(w, plain)
		}
		w, plain = w[:0], true
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z':
				w = append(w, c)
			case 'A' <= c && c <= 'Z':
				w = append(w, c+('a'-'A'))
			case '0' <= c && c <= '9':
				w, plain = append(w, c), false
			case c == '\'':
			case c == '-' && len(w) > 0 && w[len(w)-1] >= 'a': // not between digits: "2025-06-30", "Q3-Q4"
			case c == '$':
				flush()
				s.concepts[moneyIndex]++
			default:
				flush()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w, plain = utf8.AppendRune(w, unicode.ToLower(r)), false
		case r == '’': // typographic apostrophe, common in pasted text
		case r == '€' || r == '£' || r == '¥':
			flush()
			s.concepts[moneyIndex]++
		default:
			flush()
		}
	}
	flush()
	s.word = w
}

// emit adds the features of one word, given lower-cased.
func (s *scratch) emit(w []byte, plain bool) {
	h := wordHash(w)
	e := vocab[h]
	if e.stop {
		return
	}
	s.trigrams(w)
	if plain {
		last := w[len(w)-1] // stem rewrites w in place ("company" → "compani")
		if st := stem(w); len(st) != len(w) || st[len(st)-1] != last {
			h = wordHash(st)
			e = vocab[h]
		}
	}
	for _, c := range e.concepts {
		s.concepts[c]++
	}
	s.add(h, unigramWeight)
	if s.hasPrev {
		s.add(mix(s.prev*fnvPrime^h^bigramSeed), bigramWeight)
	}
	s.prev, s.hasPrev = h, true
}

// trigrams adds the len(w) byte trigrams of w padded with a boundary on each side.
func (s *scratch) trigrams(w []byte) {
	weight := float32(trigramWeight / float64(len(w)))
	a, b := uint64(boundary), uint64(w[0])
	for i := 1; i <= len(w); i++ {
		c := uint64(boundary)
		if i < len(w) {
			c = uint64(w[i])
		}
		s.add(mix(trigramSeed^(a<<16|b<<8|c)), weight)
		a, b = b, c
	}
}

// finish turns the counted features into a unit vector in dst.
func (s *scratch) finish(dst []float32) {
	acc := &s.acc
	clear(acc[:])
	for _, i := range s.used {
		sl := s.slots[i]
		v := float64(float64(sl.w) / float64(sl.n) * tf(sl.n)) // rounded here: no fused multiply-add
		d, neg := place(sl.key)
		if neg {
			v = -v
		}
		acc[d] += v
	}
	for c, n := range s.concepts {
		if n > 0 {
			acc[c] += float64(conceptWeight * tf(n)) // float64(): no fused multiply-add on arm64
		}
	}
	var sum float64
	for _, x := range acc {
		sum += float64(x * x)
	}
	if sum == 0 { // no features, or features that cancelled exactly
		copy(dst, emptyVector[:])
		return
	}
	inv := 1 / math.Sqrt(sum)
	for i, x := range acc {
		dst[i] = float32(x * inv)
	}
}

// place gives a hashed feature its dimension, after the concepts' own, and its sign. The high 32 bits
// pick the dimension (multiply-shift, as the count is no power of two), bit 31 the sign and the low
// bits the table slot, so the three do not correlate.
func place(key uint64) (d int, neg bool) {
	const hashDims = uint64(offlineDims - len(lexicon))
	return len(lexicon) + int((key>>32)*hashDims>>32), key&(1<<31) != 0
}

// tf is 1 + ln(n), from a table for the counts that occur in practice.
func tf(n uint32) float64 {
	if n < uint32(len(tfTable)) {
		return tfTable[n]
	}
	return 1 + math.Log(float64(n))
}

var tfTable = func() (t [64]float64) {
	for n := 1; n < len(t); n++ {
		t[n] = 1 + math.Log(float64(n))
	}
	return t
}()
