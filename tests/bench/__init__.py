"""Short runs of the benchmark commands (bench_send, bench_pages); collected first, so their minutes overlap the rest of a parallel run."""
