// V8 flags for the core's memory, set before anything compiles WebAssembly: undici's HTTP parser (llhttp) is
// WebAssembly, and its optimising tier (TurboFan) made most of the resident core's peak (about 95 MiB against 65 MiB
// with the baseline compiler alone, docs/benchmarks.md). The same for node with the bundle and the executables.

import { setFlagsFromString } from 'node:v8'

setFlagsFromString('--liftoff-only')
