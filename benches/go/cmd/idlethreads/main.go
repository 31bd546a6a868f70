// Command idlethreads is the Go side of the Rust example idle_threads
// (examples/idle_threads.rs) and of the compare report's "Memory over
// threads" section, which run it with `go run ./cmd/idlethreads` from
// benches/go when go is on the PATH and print its figures beside their
// own.
//
// For each goroutine count N: a fresh sync.Pool of *[]byte whose New
// makes a buffer of -kib KiB. Each of N goroutines takes -buffers buffers,
// writes each whole, holds them until every goroutine holds its own (the
// burst's peak is all of them at once, as in the Rust example), puts them
// all back, and blocks on a channel. Then:
//
//   - burst: measured while the goroutines are blocked;
//   - gc2: after runtime.GC() twice, which empties the pool (the first
//     collection moves its contents to the victim cache, the second drops
//     them);
//   - exit: after a second burst and the goroutines' exit, with no
//     collection asked: what the pool still holds is still in the heap;
//   - exit_gc2: after runtime.GC() twice more.
//
// It first prints `go version=goX.Y.Z gomaxprocs=P`, then one line per
// point,
//
//	point threads=N at=burst heap_alloc=B heap_inuse=B rss=B
//
// with HeapAlloc and HeapInuse (runtime.ReadMemStats) above the case's
// start (taken after two collections) and the resident set (VmRSS of
// /proc/self/status) above the program's start, in bytes; rss=n/a where
// /proc is absent. GOMAXPROCS is left at its default, the number of CPUs.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

func main() {
	threads := flag.String("threads", "1,2,8,64,256", "goroutine counts, comma-separated")
	buffers := flag.Int("buffers", 64, "buffers each goroutine takes at once")
	kib := flag.Int("kib", 64, "KiB per buffer")
	flag.Parse()
	counts, err := parseCounts(*threads)
	if err != nil {
		usage("-threads takes whole numbers above 0, separated by commas, not %q", *threads)
	}
	if *buffers < 1 || *kib < 1 {
		usage("-buffers and -kib take a whole number above 0")
	}
	fill := make([]byte, *kib<<10)
	for i := range fill {
		fill[i] = 1
	}
	// Which Go, and how many threads run goroutines: for the report.
	fmt.Printf("go version=%s gomaxprocs=%d\n", runtime.Version(), runtime.GOMAXPROCS(0))
	start, hasRSS := rss()
	for _, n := range counts {
		measure(n, *buffers, fill, start, hasRSS)
	}
}

// usage reports a usage error and exits with status 2, as the Rust
// examples do.
func usage(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "idlethreads: "+format+"\n", args...)
	flag.Usage()
	os.Exit(2)
}

func parseCounts(list string) ([]int, error) {
	var counts []int
	for _, item := range strings.Split(list, ",") {
		n, err := strconv.Atoi(item)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("not a whole number above 0: %q", item)
		}
		counts = append(counts, n)
	}
	return counts, nil
}

// measure runs one case: n goroutines, each bursting when its channel
// receives and exiting when it is closed.
func measure(n, buffers int, fill []byte, rssStart int64, hasRSS bool) {
	runtime.GC()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	size := len(fill)
	pool := &sync.Pool{New: func() any {
		b := make([]byte, 0, size)
		return &b
	}}
	var holding, done, exited sync.WaitGroup
	cmds := make([]chan struct{}, n)
	for i := range cmds {
		cmds[i] = make(chan struct{})
		exited.Add(1)
		go func(cmd chan struct{}) {
			defer exited.Done()
			held := make([]*[]byte, 0, buffers)
			for range cmd {
				for k := 0; k < buffers; k++ {
					buf := pool.Get().(*[]byte)
					*buf = append((*buf)[:0], fill...)
					held = append(held, buf)
				}
				holding.Done()
				holding.Wait()
				for k, buf := range held {
					*buf = (*buf)[:0]
					pool.Put(buf)
					held[k] = nil
				}
				held = held[:0]
				done.Done()
			}
		}(cmds[i])
	}
	burst := func() {
		holding.Add(n)
		done.Add(n)
		for _, cmd := range cmds {
			cmd <- struct{}{}
		}
		done.Wait()
	}
	report := func(at string) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		rssText := "n/a"
		if now, ok := rss(); ok && hasRSS {
			rssText = strconv.FormatInt(now-rssStart, 10)
		}
		fmt.Printf("point threads=%d at=%s heap_alloc=%d heap_inuse=%d rss=%s\n", n, at,
			int64(m.HeapAlloc)-int64(base.HeapAlloc), int64(m.HeapInuse)-int64(base.HeapInuse), rssText)
	}
	burst()
	report("burst")
	runtime.GC()
	runtime.GC()
	report("gc2")
	burst()
	for _, cmd := range cmds {
		close(cmd)
	}
	exited.Wait()
	report("exit")
	runtime.GC()
	runtime.GC()
	report("exit_gc2")
	runtime.KeepAlive(pool)
}

// rss is the resident set in bytes: VmRSS of /proc/self/status, in kB
// whatever the page size.
func rss() (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		fields := strings.Fields(lines.Text())
		if len(fields) >= 2 && fields[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
