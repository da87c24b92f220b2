package extractors

import (
	"bytes"
	"context"
	"math/rand"
	"os"
	"runtime"
	"strings"
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
	for i := 0; i < 400000; i++ {
		d := append([]byte{}, seeds[rng.Intn(len(seeds))]...)
		if rng.Intn(2) == 0 {
			// random content stream of the same length
			one := synth.PDFWithOptions([]synth.Page{synth.SingleColumnPage([]string{"Jane Doe and a fairly long line of text here"})}, plain)
			i := bytes.Index(one, []byte("BT /F1"))
			j := bytes.Index(one[i:], []byte("\nendstream"))
			alphabet := "<>()[]{}/%\\ \n0123456789abcdefABCDEFTjBTETQq#'\"\x00"
			for k := i; k < i+j; k++ {
				if rng.Intn(3) == 0 {
					one[k] = byte(rng.Intn(256))
				} else {
					one[k] = alphabet[rng.Intn(len(alphabet))]
				}
			}
			d = one
		}
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
			st := string(buf[:runtime.Stack(buf, true)])
			if strings.Contains(st, "runAbandonable.func1") {
				t.Fatalf("slow input %d:\n%s", i, st)
			}
			t.Logf("slow but finished: %d", i)
		}
	}
}
