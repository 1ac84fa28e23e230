package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/report"
)

// benchPDF measures the report's PDF for 50 accounts (target: ≤ 1 s, ≤ 150 MB peak): the median of five
// renderings after a warm-up, and the process's peak resident memory afterwards (VmHWM), which also
// counts everything the process holds besides the report. It runs first, before anything else raises the
// peak.
func benchPDF(w io.Writer) error {
	r := report.Synthetic(50, 1)
	findings := 0
	for _, a := range r.Accounts {
		findings += len(a.Findings)
	}
	var times []time.Duration
	size := 0
	for i := range 6 {
		var buf bytes.Buffer
		began := time.Now()
		if err := report.PDF(r, &buf); err != nil {
			return err
		}
		if i > 0 {
			times = append(times, time.Since(began))
		}
		size = buf.Len()
	}
	slices.Sort(times)
	fmt.Fprintf(w, "pdf_accounts %d\npdf_findings %d\npdf_bytes %d\n", len(r.Accounts), findings, size)
	fmt.Fprintf(w, "pdf_50_accounts_ms %.0f\n", float64(times[len(times)/2].Microseconds())/1000)
	fmt.Fprintf(w, "pdf_peak_mb %.0f\n", peakMB())
	return nil
}

// peakMB is the process's peak resident set size, from /proc/self/status; where there is none, the
// memory the Go runtime obtained from the system.
func peakMB() float64 {
	if f, err := os.Open("/proc/self/status"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
				if kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64); err == nil {
					return kb / 1024
				}
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys) / (1 << 20)
}
