package extractors

import (
	"context"
	"math/rand"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/cvetl/cvetl/internal/synth"
)

func TestZZHunt(t *testing.T) {
	plain := synth.PDFOptions{Uncompressed: true}
	seeds := [][]byte{
		synth.PDFWithOptions(cvPDFPages(), plain),
		synth.PDFWithOptions([]synth.Page{synth.ImagePage()}, plain),
		synth.PDFWithOptions([]synth.Page{synth.SingleColumnPage([]string{"Jane"})}, synth.PDFOptions{Uncompressed: true, Encryption: synth.EncryptRC4NoUserPassword}),
	}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for i := 0; i < 150000; i++ {
		d := append([]byte{}, seeds[rng.Intn(len(seeds))]...)
		for k := 0; k < 1+rng.Intn(4); k++ {
			p := rng.Intn(len(d))
			switch rng.Intn(4) {
			case 0:
				d[p] = byte(rng.Intn(256))
			case 1:
				d = append(d[:p], d[min(len(d), p+1+rng.Intn(8)):]...)
			case 2:
				d = append(d[:p], append([]byte{"()[]<>{}/%\\"[rng.Intn(11)]}, d[p:]...)...)
			case 3:
				d[p] ^= 1 << uint(rng.Intn(8))
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		start := time.Now()
		Extract(ctx, Input{Name: "x.pdf", Data: d}, DefaultLimits)
		cancel()
		if time.Since(start) > 900*time.Millisecond {
			os.WriteFile("/tmp/hang.pdf", d, 0o644)
			time.Sleep(50 * time.Millisecond)
			buf := make([]byte, 1<<20)
			t.Fatalf("slow input %d:\n%s", i, buf[:runtime.Stack(buf, true)])
		}
	}
}
