module bgsim

go 1.24.0
