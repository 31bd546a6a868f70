package syncpool

import (
	"math"
	"math/bits"
	"sync"
	"testing"
)

// Sizes: the hand-written buffer pool Go programs use for buffers of many
// sizes (Tailscale's, zap's, klog's): one sync.Pool per power-of-two
// class, 256 bytes to 1 MiB as the Rust BufferPool's defaults. A get takes
// from the smallest class that covers the request, or makes a buffer of
// the class's size; a put goes to the class the buffer's capacity fits,
// and a buffer outside every class is left to the collector.
//
// One operation is a batch of sizesDepth requests held at once, as in the
// Rust sizes cells: each gets a buffer for its size and fills it; then all
// of them are reset and put back.

const (
	sizesDepth   = 8
	sizesMinLog  = 8
	sizesMaxLog  = 20
	sizesClasses = sizesMaxLog - sizesMinLog + 1
)

var sizeClasses [sizesClasses]sync.Pool

// sizesSize is request i's size, the Rust bench's sizes_size: 199 in 200
// are 64 B to 1 MiB, one is 1 to 8 MiB, log-uniform, from a hash of i.
func sizesSize(i uint64) int {
	z := i*0x9e3779b97f4a7c15 + 2026
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	unit := float64(z>>11) / float64(uint64(1)<<53)
	lo, hi := 64.0, float64(1<<20)
	if z%200 == 0 {
		lo, hi = float64(1<<20), float64(8<<20)
	}
	return int(math.Exp(math.Log(lo) + (math.Log(hi)-math.Log(lo))*unit))
}

// getSized returns an empty buffer with a capacity of at least n.
func getSized(n int) *[]byte {
	class := 0
	if n > 1<<sizesMinLog {
		class = bits.Len(uint(n-1)) - sizesMinLog
	}
	if class >= sizesClasses {
		b := make([]byte, 0, n)
		return &b
	}
	if v := sizeClasses[class].Get(); v != nil {
		return v.(*[]byte)
	}
	b := make([]byte, 0, 1<<(class+sizesMinLog))
	return &b
}

// putSized resets the buffer and keeps it in the class its capacity fits.
func putSized(buf *[]byte) {
	c := cap(*buf)
	if c < 1<<sizesMinLog || c > 1<<sizesMaxLog {
		return
	}
	*buf = (*buf)[:0]
	sizeClasses[bits.Len(uint(c))-1-sizesMinLog].Put(buf)
}

// fill sets n bytes of the buffer to 1, growing it if it must.
func fill(buf *[]byte, n int) {
	if cap(*buf) < n {
		*buf = append((*buf)[:cap(*buf)], make([]byte, n-cap(*buf))...)
	}
	b := (*buf)[:n]
	if n > 0 {
		b[0] = 1
		for j := 1; j < n; j *= 2 {
			copy(b[j:], b[:j])
		}
	}
	*buf = b
}

func BenchmarkSizes(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		var held [sizesDepth]*[]byte
		for i := uint64(0); pb.Next(); i++ {
			for k := range held {
				n := sizesSize(i*sizesDepth + uint64(k))
				held[k] = getSized(n)
				fill(held[k], n)
			}
			for k := range held {
				putSized(held[k])
				held[k] = nil
			}
		}
	})
}
