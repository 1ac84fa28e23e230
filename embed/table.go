package embed

// The feature table of a scratch: linear probing over a power-of-two slice, at most half full.

// slot is one distinct feature of the text being embedded; key 0 marks an empty slot.
type slot struct {
	key uint64
	w   float32 // sum of weights
	n   uint32  // occurrences
}

// add counts one occurrence of a feature with weight w.
func (s *scratch) add(key uint64, w float32) {
	if key == 0 {
		key = 1 // zero marks an empty slot
	}
	mask := uint64(len(s.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.key == key {
			sl.w += w
			sl.n++
			return
		}
		if sl.key == 0 {
			*sl = slot{key: key, w: w, n: 1}
			s.used = append(s.used, int32(i))
			if 2*len(s.used) > len(s.slots) {
				s.grow()
			}
			return
		}
	}
}

// grow doubles the table to keep probes short. It keeps the features in first-seen order: finish
// sums them in that order, and floating-point sums depend on it, so a text must not get a vector a
// last bit different from a pooled scratch whose table happens to be bigger already.
func (s *scratch) grow() {
	old := s.slots
	s.slots = make([]slot, 2*len(old))
	mask := uint64(len(s.slots) - 1)
	for j, o := range s.used {
		sl := old[o]
		i := sl.key & mask
		for s.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = sl
		s.used[j] = int32(i)
	}
}
