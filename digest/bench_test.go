package digest

import "testing"

// The benchmarks run on a 10,000-win, 2,000-question week (and as many the
// week before), in memory: Gather's cost is the range scans, these are the
// rest.

func BenchmarkBuild(b *testing.B) {
	in, cfg := hugeInput(10000, 2000), hugeConfig()
	b.ReportAllocs()
	for b.Loop() {
		Build(in, cfg, end)
	}
}

func BenchmarkRender(b *testing.B) {
	d := Build(hugeInput(10000, 2000), hugeConfig(), end)
	b.ReportAllocs()
	for b.Loop() {
		Render(d, RenderOptions{Admin: true})
	}
}
