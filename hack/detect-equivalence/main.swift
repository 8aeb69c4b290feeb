// Compiled by hack/detect-equivalence together with the sources of Sources/Detection (one module):
// prints one findings line per input line, or times passes over the input without printing.
//
//   detect-equivalence FILE          findings of every line, in order
//   detect-equivalence FILE PASSES   CPU seconds for PASSES passes, on standard error

#if canImport(Glibc)
  import Glibc
#endif

func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
  return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let file = fopen(arguments[1], "r") else {
  fputs("usage: detect-equivalence FILE [PASSES]\n", stderr)
  exit(2)
}
var lines: [[UInt8]] = []
var buffer: UnsafeMutablePointer<CChar>?
var capacity = 0
while true {
  let count = getline(&buffer, &capacity, file)
  guard count >= 0, let start = buffer else { break }
  var bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
  if bytes.last == 0x0A { bytes.removeLast() }
  lines.append(bytes)
}
// A fixed reference year: the same findings whatever the date.
let detector = Detector(referenceYear: 2026)
if arguments.count > 2, let passes = Int(arguments[2]), passes > 0 {
  var bytes = 0
  let start = cpuSeconds()
  for _ in 0..<passes {
    for line in lines {
      // `json`, which every revision has, so that any two can be compared.
      if let findings = try? detector.detect(json: line) { bytes += findings.json.utf8.count }
    }
  }
  let seconds = cpuSeconds() - start
  let input = lines.reduce(0) { $0 + $1.count } * passes
  fputs(
    "\(lines.count * passes) documents in \(seconds) s of CPU: \(Double(input) / seconds / 1e6) MB/s (\(bytes) bytes of findings)\n",
    stderr)
} else {
  for line in lines {
    do {
      print(try detector.detect(json: line).json)
    } catch {
      print("error: \(error)")
    }
  }
}
