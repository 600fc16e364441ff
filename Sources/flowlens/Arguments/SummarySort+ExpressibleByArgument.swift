import ArgumentParser
import FlowStats

// `--sort bytes` is parsed by ArgumentParser, which also lists the names in `--help` and in the
// message for a bad value.
extension SummarySort: ExpressibleByArgument {}
