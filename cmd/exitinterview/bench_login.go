package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// benchLogins sends 100 logins at once from one address, as the flood an attacker would send, and
// prints the peak memory of this process meanwhile, how many were refused and how fast. The server
// checks at most one password per CPU at once (each check holds argon2id's 19 MiB), so the peak stays
// near the idle process's.
func benchLogins(w io.Writer, base string) error {
	const n = 100
	debug.FreeOSMemory() // what earlier figures left in the heap is not this figure's
	resetPeakRSS()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var mu sync.Mutex
	statuses := map[int]int{}
	var refused []time.Duration
	var wg sync.WaitGroup
	stop := make(chan struct{})
	peak := make(chan int64)
	go func() { peak <- samplePeakRSS(stop) }()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"email": {fmt.Sprintf("nobody%d@example.com", i)}, "password": {"a guessed password"}}
			began := time.Now()
			resp, err := client.PostForm(base+"/login", form)
			if err != nil {
				mu.Lock()
				statuses[0]++
				mu.Unlock()
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			statuses[resp.StatusCode]++
			if resp.StatusCode == http.StatusTooManyRequests {
				refused = append(refused, time.Since(began))
			}
		}()
	}
	wg.Wait()
	close(stop)
	peakKB := max(<-peak, statusKB("VmHWM"))
	if statuses[0] > 0 {
		return fmt.Errorf("login bench: %d requests failed", statuses[0])
	}
	slices.Sort(refused)
	fmt.Fprintf(w, "login_100_parallel_peak_rss_mb %.0f\nlogin_100_parallel_checked %d\nlogin_100_parallel_refused %d\nlogin_100_parallel_refused_p95_ms %.1f\n",
		float64(peakKB)/1024, statuses[http.StatusUnauthorized], statuses[http.StatusTooManyRequests], percentile(refused, 0.95))
	return nil
}

// resetPeakRSS restarts the kernel's record of this process's peak memory (VmHWM), where it can.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// samplePeakRSS reads this process's resident memory every few milliseconds until stop is closed, and
// returns the most it saw, in KiB (0 where /proc is missing).
func samplePeakRSS(stop <-chan struct{}) int64 {
	var peak int64
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		peak = max(peak, statusKB("VmRSS"))
		select {
		case <-stop:
			return peak
		case <-t.C:
		}
	}
}

// statusKB returns a "kB" field of /proc/self/status, or 0.
func statusKB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if ok && name == field {
			v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v
		}
	}
	return 0
}
