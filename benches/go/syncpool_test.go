// Package syncpool measures Go's sync.Pool on the workloads of the Rust
// compare report (benches/compare), with the same objects and the same
// work, so that the report can show Go beside the Rust pools as its
// go-syncpool contender. The report runs
//
//	go test -bench . -benchmem -cpu 1,2
//
// here (with a narrower -bench and a shorter -benchtime for --only and
// --quick) and reads the output; it can be run by hand the same way.
//
// One operation is get, use, reset, put. The reset is done where Go
// programs do it, just before Put, so that Get hands out a clean value:
// lengths back to zero and maps emptied, capacity kept.
//
//   - Tiny: a *uint64, written once (and not reset: see BenchmarkTiny).
//   - Buf4k: a byte slice of capacity 4096; 512 bytes appended.
//   - Parse: a struct of a body ([]byte), spans (pairs of uint32), fields
//     (map[uint64]uint32) and valid (bool), created empty; 2 KiB appended
//     to body, 32 spans appended, 16 fields inserted, valid set.
//   - Grow64k: an empty byte slice; 64 KiB appended in 1 KiB chunks.
//   - Sizes (sizes_test.go): batches of 8 buffers of many sizes from a
//     power-of-two array of sync.Pools, the pattern Go programs write by hand.
//   - Handoff: one goroutine gets 64 Buf4k objects and uses each, sends the
//     batch through a channel to a second goroutine, which resets them and
//     puts them back (the returns land on the second goroutine).
//
// The pools hold pointers (*uint64, *[]byte, *parse): a slice header stored
// in an interface would be allocated anew on every Put, which is why Go
// programs pool pointers. Each pool is a package variable, made once and
// shared by every run of its benchmark, as a program's pool is.
//
// How to read ns/op. Tiny, Buf4k, Parse, Grow64k and Sizes run under
// b.RunParallel: GOMAXPROCS goroutines (the -cpu value) share the pool and
// b.N operations, and ns/op is the wall time divided by b.N, all
// goroutines' operations together. The Rust cells give the time one thread
// takes per operation, so the report multiplies ns/op by the -cpu value
// before comparing. Handoff's ns/op is wall time per object, as the Rust
// handoff cell's is, and is taken as it is.
//
// Every benchmark runs at every -cpu value (the testing package runs a
// benchmark once, at whatever GOMAXPROCS is current, before it goes through
// the -cpu list, so a benchmark cannot skip one value alone); the report
// keeps the thread counts the Rust report has: Grow64k at 1, Handoff at 2
// (at -cpu 1 its two goroutines share one thread), the others at 1 and 2.
package syncpool

import (
	"sync"
	"testing"
)

// The bytes every append copies from (the Rust bench's SRC).
var src = func() (a [2048]byte) {
	for i := range a {
		a[i] = byte(i*31 + 7)
	}
	return a
}()

const (
	buf4kUse    = 512
	parseBody   = 2048
	parseSpans  = 32
	parseFields = 16
	growChunks  = 64
	growChunk   = 1024
	batch       = 64 // objects per Handoff batch
	inFlight    = 2  // Handoff batches the channel holds
)

func newBuf4k() any {
	b := make([]byte, 0, 4096)
	return &b
}

var (
	tinyPool    = sync.Pool{New: func() any { return new(uint64) }}
	buf4kPool   = sync.Pool{New: newBuf4k}
	parsePool   = sync.Pool{New: func() any { return &parse{fields: map[uint64]uint32{}} }}
	grow64kPool = sync.Pool{New: func() any { return new([]byte) }}
	handoffPool = sync.Pool{New: newBuf4k}
)

type span struct{ start, end uint32 }

type parse struct {
	body   []byte
	spans  []span
	fields map[uint64]uint32
	valid  bool
}

func (p *parse) use(i uint64) {
	p.body = append(p.body, src[:parseBody]...)
	base := uint32(i)
	for s := uint32(0); s < parseSpans; s++ {
		p.spans = append(p.spans, span{base + s, s * 2})
	}
	for f := uint64(0); f < parseFields; f++ {
		p.fields[i*131+f] = uint32(f)
	}
	p.valid = true
}

func (p *parse) reset() {
	p.body = p.body[:0]
	p.spans = p.spans[:0]
	// The compiler turns this loop into one map clear (the clear builtin
	// needs Go 1.21; Debian's golang-go may be older).
	for k := range p.fields {
		delete(p.fields, k)
	}
	p.valid = false
}

// BenchmarkTiny has no reset step: the use overwrites the whole value, and
// a store of zero before it (or after it, before Put) would be a dead store
// that the compiler drops.
func BenchmarkTiny(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for i := uint64(0); pb.Next(); i++ {
			v := tinyPool.Get().(*uint64)
			*v = i
			tinyPool.Put(v)
		}
	})
}

func BenchmarkBuf4k(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			buf := buf4kPool.Get().(*[]byte)
			*buf = append(*buf, src[:buf4kUse]...)
			*buf = (*buf)[:0]
			buf4kPool.Put(buf)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for i := uint64(0); pb.Next(); i++ {
			p := parsePool.Get().(*parse)
			p.use(i)
			p.reset()
			parsePool.Put(p)
		}
	})
}

func BenchmarkGrow64k(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			buf := grow64kPool.Get().(*[]byte)
			for c := 0; c < growChunks; c++ {
				*buf = append(*buf, src[:growChunk]...)
			}
			*buf = (*buf)[:0]
			grow64kPool.Put(buf)
		}
	})
}

// BenchmarkHandoff: b.N objects, in batches of 64 (the last one may be
// short, its empty entries nil).
func BenchmarkHandoff(b *testing.B) {
	batches := make(chan [batch]*[]byte, inFlight)
	done := make(chan struct{})
	go func() {
		for objects := range batches {
			for _, buf := range objects {
				if buf == nil {
					break
				}
				*buf = (*buf)[:0]
				handoffPool.Put(buf)
			}
		}
		close(done)
	}()
	for sent := 0; sent < b.N; sent += batch {
		var objects [batch]*[]byte
		for k := 0; k < batch && sent+k < b.N; k++ {
			buf := handoffPool.Get().(*[]byte)
			*buf = append(*buf, src[:buf4kUse]...)
			objects[k] = buf
		}
		batches <- objects
	}
	close(batches)
	<-done
}
