package filetext

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxZipEntries bounds the entries an Office file's archive may hold: real documents hold tens or
// hundreds; a hundred thousand empty entries would only cost time.
const maxZipEntries = 10_000

// errTooBig is what a guarded read returns once the archive has unpacked more than MaxUnpacked.
var errTooBig = errors.New("unpacks beyond the limit")

// officeZip is an Office file's archive read under the unpacking budget: the sizes its directory
// declares are checked before anything is read, and what is actually unpacked is counted as it is
// read (the zip reader also refuses an entry that unpacks to more than it declared).
type officeZip struct {
	files  map[string]*zip.File // by name, lower case
	budget int64                // bytes that may still be unpacked
	limit  int64
}

func openOfficeZip(data []byte, lim Limits, what string) (*officeZip, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, unreadable("the file is damaged: it is not a readable %s (%v)", what, err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, unreadable("the file is damaged or hostile: its archive holds %d entries (at most %d are read)", len(zr.File), maxZipEntries)
	}
	z := &officeZip{files: map[string]*zip.File{}, budget: lim.MaxUnpacked, limit: lim.MaxUnpacked}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		z.files[strings.ToLower(f.Name)] = f
	}
	if declared > uint64(lim.MaxUnpacked) {
		return nil, z.tooBig()
	}
	return z, nil
}

func (z *officeZip) tooBig() error {
	return unreadable("the file is too large to read: it unpacks to more than %s, the limit", sizeText(z.limit))
}

// open opens the entry name (any case) for reading within the budget; ok is false when there is none.
func (z *officeZip) open(name string) (io.ReadCloser, bool, error) {
	f, ok := z.files[strings.ToLower(name)]
	if !ok {
		return nil, false, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, true, unreadable("the file is damaged: %s cannot be unpacked (%v)", name, err)
	}
	return &budgetReader{r: rc, z: z}, true, nil
}

// readAll reads the entry name whole within the budget.
func (z *officeZip) readAll(name string) ([]byte, bool, error) {
	rc, ok, err := z.open(name)
	if !ok || err != nil {
		return nil, ok, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, true, z.readError(name, err)
	}
	return b, true, nil
}

// readError is the ErrUnreadable for an error met unpacking or parsing name.
func (z *officeZip) readError(name string, err error) error {
	var re *reasonError
	switch {
	case errors.Is(err, errTooBig):
		return z.tooBig()
	case errors.As(err, &re):
		return err
	}
	return unreadable("the file is damaged: %s cannot be read (%v)", name, err)
}

// budgetReader counts what an entry unpacks to against the archive's budget.
type budgetReader struct {
	r     io.ReadCloser
	z     *officeZip
	ended bool // the entry ended exactly where the budget did
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.ended {
		return 0, io.EOF
	}
	if b.z.budget <= 0 {
		return 0, errTooBig
	}
	if int64(len(p)) > b.z.budget {
		p = p[:b.z.budget]
	}
	n, err := b.r.Read(p)
	b.z.budget -= int64(n)
	if err == nil && b.z.budget <= 0 {
		// One more byte tells whether the entry ends exactly at the limit.
		var one [1]byte
		m, perr := b.r.Read(one[:])
		if m > 0 {
			return n, errTooBig
		}
		if errors.Is(perr, io.EOF) {
			b.ended = true
		} else if perr != nil {
			return n, perr
		}
	}
	return n, err
}

func (b *budgetReader) Close() error { return b.r.Close() }

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

const (
	nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsA = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsP = "http://schemas.openxmlformats.org/presentationml/2006/main"
	nsR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsM = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// readDOCX reads a Word document as one part: a line per paragraph, a line per table row with its
// cells joined with " · ".
func readDOCX(c *collector, data []byte) error {
	z, err := openOfficeZip(data, c.lim, "Word document")
	if err != nil {
		return err
	}
	body, ok, err := wordText(c, z, "word/document.xml", c.room())
	if err != nil {
		return err
	}
	if !ok {
		return unreadable("the file is damaged: the Word document has no body (word/document.xml)")
	}
	text := body
	// The footnotes, endnotes and comments follow the body, each under its heading.
	for _, extra := range []struct{ part, heading string }{
		{"word/footnotes.xml", "Footnotes:"},
		{"word/endnotes.xml", "Endnotes:"},
		{"word/comments.xml", "Comments:"},
	} {
		room := c.room() - utf8.RuneCountInString(text)
		if room <= 0 {
			break
		}
		t, _, err := wordText(c, z, extra.part, room)
		if err != nil {
			return err
		}
		if t != "" {
			text += "\n\n" + extra.heading + "\n" + t
		}
	}
	if text == "" {
		return unreadable("the Word document has no text")
	}
	return c.add(Part{Text: text})
}

// wordText is the text of the WordprocessingML part name (the body, the footnotes, the comments): a
// line per paragraph, a line per table row with its cells joined with " · ". It stops once it holds
// more than room characters (the collector cuts the rest); ok is false when there is no such part.
func wordText(c *collector, z *officeZip, name string, room int) (string, bool, error) {
	rc, ok, err := z.open(name)
	if err != nil || !ok {
		return "", ok, err
	}
	defer rc.Close()
	var (
		out       strings.Builder
		para      strings.Builder
		cell      strings.Builder
		cells     []string
		inText    bool
		cellDepth int // table cells open (a table may nest in a cell)
		skip      int // depth inside a part whose text is not shown (fallback copies, deleted text)
		chars     int // characters written to out
	)
	endPara := func() {
		p := strings.TrimSpace(para.String())
		para.Reset()
		if p == "" {
			return
		}
		if cellDepth > 0 {
			if cell.Len() > 0 {
				cell.WriteByte(' ')
			}
			cell.WriteString(p)
			return
		}
		out.WriteString(p)
		out.WriteByte('\n')
		chars += utf8.RuneCountInString(p) + 1
	}
	dec := xml.NewDecoder(rc)
	for n := 0; ; n++ {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", true, z.readError(name, err)
		}
		if n%4096 == 0 {
			if err := c.ctx.Err(); err != nil {
				return "", true, err
			}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch {
			case t.Name.Space == nsM && t.Name.Local == "Fallback",
				t.Name.Space == nsW && (t.Name.Local == "delText" || t.Name.Local == "instrText"):
				skip = 1
			case t.Name.Space == nsW && t.Name.Local == "t":
				inText = true
			case t.Name.Space == nsW && t.Name.Local == "tab":
				para.WriteByte('\t')
			case t.Name.Space == nsW && (t.Name.Local == "br" || t.Name.Local == "cr"):
				para.WriteByte('\n')
			case t.Name.Space == nsW && t.Name.Local == "tc":
				if cellDepth == 0 {
					cell.Reset()
				}
				cellDepth++
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch {
			case t.Name.Space == nsW && t.Name.Local == "t":
				inText = false
			case t.Name.Space == nsW && t.Name.Local == "p":
				endPara()
			case t.Name.Space == nsW && t.Name.Local == "tc":
				endPara()
				cellDepth--
				if cellDepth == 0 {
					cells = append(cells, strings.Join(strings.Fields(cell.String()), " "))
				}
			case t.Name.Space == nsW && t.Name.Local == "tr" && cellDepth == 0:
				if line := rowLine(nil, cells, true); line != "" {
					out.WriteString(line)
					out.WriteByte('\n')
					chars += utf8.RuneCountInString(line) + 1
				}
				cells = cells[:0]
			}
		case xml.CharData:
			if inText && skip == 0 {
				para.Write(t)
			}
		}
		if chars > room {
			// The text budget is spent: the rest of the document is not read.
			c.doc.Truncated = true
			break
		}
	}
	endPara()
	return tidy(out.String()), true, nil
}

// readPPTX reads a PowerPoint deck: a part per slide in the deck's order, its title as the part's
// name, a line per paragraph, and the speaker notes after "Notes:".
func readPPTX(c *collector, data []byte) error {
	z, err := openOfficeZip(data, c.lim, "PowerPoint deck")
	if err != nil {
		return err
	}
	slides, err := slideOrder(z)
	if err != nil {
		return err
	}
	if len(slides) == 0 {
		return unreadable("the PowerPoint deck has no slides")
	}
	c.doc.Pages = len(slides)
	for i, s := range slides {
		if i >= c.lim.MaxParts {
			c.doc.Truncated = true
			return errFull
		}
		b, ok, err := z.readAll(s)
		if err != nil {
			return err
		}
		if !ok {
			return unreadable("the file is damaged: slide %d (%s) is missing", i+1, s)
		}
		title, text, err := slideText(b, false)
		if err != nil {
			return z.readError(s, err)
		}
		if notes := notesOf(z, s); notes != "" {
			text += "\n\nNotes: " + notes
		}
		if err := c.add(Part{Unit: "slide", Number: i + 1, Name: title, Text: tidy(text)}); err != nil {
			return err
		}
	}
	if len(c.doc.Parts) == 0 {
		return unreadable("the PowerPoint deck has no text")
	}
	return nil
}

var slideNameRE = regexp.MustCompile(`^ppt/slides/slide(\d+)\.xml$`)

// slideOrder is the slides' entry names in the deck's order: the order presentation.xml lists them in
// (through its relationships), or else the order of the numbers in their names.
func slideOrder(z *officeZip) ([]string, error) {
	pres, ok, err := z.readAll("ppt/presentation.xml")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, unreadable("the file is damaged: the PowerPoint deck has no presentation part")
	}
	rels, _, err := z.readAll("ppt/_rels/presentation.xml.rels")
	if err != nil {
		return nil, err
	}
	targets := relTargets(rels, "ppt")
	var ids []string
	dec := xml.NewDecoder(bytes.NewReader(pres))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Space == nsP && t.Name.Local == "sldId" {
			for _, a := range t.Attr {
				if a.Name.Space == nsR && a.Name.Local == "id" {
					ids = append(ids, a.Value)
				}
			}
		}
	}
	var order []string
	for _, id := range ids {
		if target, ok := targets[id]; ok {
			if _, ok := z.files[strings.ToLower(target)]; ok {
				order = append(order, target)
			}
		}
	}
	if len(order) > 0 {
		return order, nil
	}
	type numbered struct {
		n    int
		name string
	}
	var found []numbered
	for name, f := range z.files {
		if m := slideNameRE.FindStringSubmatch(name); m != nil {
			n, _ := strconv.Atoi(m[1])
			found = append(found, numbered{n, f.Name})
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].n < found[j].n })
	for _, f := range found {
		order = append(order, f.name)
	}
	return order, nil
}

// relTargets maps a relationships part's ids to the entry names they point at, resolved against dir.
func relTargets(rels []byte, dir string) map[string]string {
	out := map[string]string{}
	var doc struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(rels, &doc) != nil {
		return out
	}
	for _, r := range doc.Rels {
		if r.Mode == "External" {
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		out[r.ID] = t
		out["type:"+r.ID] = r.Type
	}
	return out
}

// notesOf is the speaker notes' text of the slide entry s, "" when it has none.
func notesOf(z *officeZip, s string) string {
	dir, file := path.Split(s)
	rels, ok, err := z.readAll(dir + "_rels/" + file + ".rels")
	if !ok || err != nil {
		return ""
	}
	targets := relTargets(rels, strings.TrimSuffix(dir, "/"))
	for id, t := range targets {
		if strings.HasPrefix(id, "type:") || !strings.HasSuffix(targets["type:"+id], "/notesSlide") {
			continue
		}
		b, ok, err := z.readAll(t)
		if !ok || err != nil {
			return ""
		}
		_, text, err := slideText(b, true)
		if err != nil {
			return ""
		}
		return strings.TrimSpace(text)
	}
	return ""
}

// slideText reads a slide's (or a notes page's) text: the title placeholder's text as title, and a line
// per paragraph of every shape and table, leaving out the slide number, date and footer placeholders
// (and, on a notes page, the slide's picture and the header).
func slideText(b []byte, notes bool) (title, text string, err error) {
	type shape struct {
		ph    string
		lines []string
	}
	var (
		stack  []*shape
		out    strings.Builder
		para   strings.Builder
		inText bool
		skip   int
	)
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", "", fmt.Errorf("slide XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch {
			case t.Name.Space == nsM && t.Name.Local == "Fallback":
				skip = 1
			case t.Name.Space == nsP && t.Name.Local == "sp":
				stack = append(stack, &shape{})
			case t.Name.Space == nsP && t.Name.Local == "ph" && len(stack) > 0:
				stack[len(stack)-1].ph = "body"
				for _, a := range t.Attr {
					if a.Name.Local == "type" {
						stack[len(stack)-1].ph = a.Value
					}
				}
			case t.Name.Space == nsA && t.Name.Local == "t":
				inText = true
			case t.Name.Space == nsA && t.Name.Local == "br":
				para.WriteByte('\n')
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch {
			case t.Name.Space == nsA && t.Name.Local == "t":
				inText = false
			case t.Name.Space == nsA && t.Name.Local == "p":
				p := strings.TrimSpace(para.String())
				para.Reset()
				if p == "" {
					break
				}
				if len(stack) > 0 {
					s := stack[len(stack)-1]
					s.lines = append(s.lines, p)
				} else {
					out.WriteString(p + "\n")
				}
			case t.Name.Space == nsP && t.Name.Local == "sp" && len(stack) > 0:
				s := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				switch s.ph {
				case "sldNum", "dt", "ftr", "hdr", "sldImg":
					continue
				case "title", "ctrTitle":
					if title == "" && !notes {
						title = strings.Join(s.lines, " ")
					}
				}
				for _, l := range s.lines {
					out.WriteString(l + "\n")
				}
			}
		case xml.CharData:
			if inText && skip == 0 {
				para.Write(t)
			}
		}
	}
	return strings.Join(strings.Fields(title), " "), out.String(), nil
}
