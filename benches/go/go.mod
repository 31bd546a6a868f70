module poolsuite/benches/go

go 1.19
