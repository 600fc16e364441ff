import Foundation
import Testing

/// Tables of a GitHub-flavoured Markdown document, as GitHub splits them.
struct MarkdownTables {
  struct Table {
    var title: String
    var header: [String]
    var rows: [[String]]
  }

  var tables: [Table] = []

  /// Cells split at every `|` that is not backslash-escaped, the outer pipes dropped.
  static func cells(_ line: Substring) -> [String] {
    var cells: [String] = []
    var current = ""
    var escaped = false
    for character in line.dropFirst().dropLast() {
      if escaped {
        current.append(character)
        escaped = false
      } else if character == "\\" {
        current.append(character)
        escaped = true
      } else if character == "|" {
        cells.append(current.trimmingCharacters(in: .whitespaces))
        current = ""
      } else {
        current.append(character)
      }
    }
    cells.append(current.trimmingCharacters(in: .whitespaces))
    return cells
  }

  init(_ markdown: String) {
    var title = ""
    var current: Table?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("### ") { title = String(line.dropFirst(4)) }
      if line.hasPrefix("|") && line.hasSuffix("|") {
        if current == nil {
          current = Table(title: title, header: Self.cells(line), rows: [])
        } else if !line.hasPrefix("|--") && !line.hasPrefix("|---") {
          current!.rows.append(Self.cells(line))
        }
      } else if let table = current {
        tables.append(table)
        current = nil
      }
    }
    if let current { tables.append(current) }
  }
}

@Suite("--format markdown")
struct MarkdownOutputTests {
  @Test("summary: the three tables, with the rows of the JSON output, in GitHub table syntax")
  func summary() throws {
    let markdown = try CLI.run(["summary", "--format", "markdown", "--top", "5", "Fixtures/sample"])
    #expect(markdown.status == 0)
    let json = try CLI.run(["summary", "--format", "json", "--top", "5", "Fixtures/sample"]).json()
    let tables = MarkdownTables(markdown.stdout).tables
    #expect(
      tables.map(\.header) == [
        ["Interface", "ACCEPT", "REJECT", "Packets", "Bytes"],
        ["Port", "Protocol", "ACCEPT", "REJECT", "Packets", "Bytes"],
        ["Source", "ACCEPT", "REJECT", "Packets", "Bytes"],
      ])
    let interfaces = try #require(json["by_interface"] as? [[String: Any]])
    #expect(tables[0].rows.map { $0[0] } == interfaces.map { $0["interface_id"] as! String })
    #expect(tables[1].rows.map { $0[0] } == (json["by_port"] as! [[String: Any]]).map { String($0["port"] as! Int) })
    #expect(tables[2].rows.map { $0[0] } == (json["by_source_cidr"] as! [[String: Any]]).map { $0["cidr"] as! String })
    for table in tables { #expect(table.rows.allSatisfy { $0.count == table.header.count }) }
    #expect(markdown.stdout.contains("|---|--:|--:|--:|--:|"))
    #expect(markdown.stdout.contains("- **Records** ACCEPT 329 · REJECT 55 · NODATA 9 · SKIPDATA 4"))
  }

  @Test("audit: one table per severity with a row per finding")
  func audit() throws {
    let arguments = ["--policy", "Fixtures/policies/corporate.yaml", "Fixtures/sample"]
    let markdown = try CLI.run(["audit", "--format", "markdown"] + arguments).stdout
    let findings = try #require(
      try CLI.run(["audit", "--format", "json"] + arguments).json()["findings"] as? [[String: Any]])
    let tables = MarkdownTables(markdown).tables
    #expect(tables.map(\.title) == ["High (3)", "Medium (12)", "Low (4)"])
    for table in tables {
      let severity = table.title.split(separator: " ")[0].lowercased()
      let expected = findings.filter { $0["severity"] as? String == severity }
      #expect(table.rows.count == expected.count)
      #expect(table.rows.map { $0[0] } == expected.map { $0["rule"] as! String })
      #expect(table.rows.allSatisfy { $0.count == 9 })
    }
    #expect(markdown.contains("- **Findings** 19: 3 high, 12 medium, 4 low"))
  }

  @Test("audit: findings past --findings-per-rule are counted in a line, and the totals still count them")
  func auditOmitted() throws {
    let arguments = ["--policy", "Fixtures/policies/corporate.yaml", "Fixtures/sample"]
    let markdown = try CLI.run(["audit", "--format", "markdown", "--findings-per-rule", "1"] + arguments).stdout
    let omitted = try #require(
      try CLI.run(["audit", "--format", "json", "--findings-per-rule", "1"] + arguments).json()["omitted_findings"]
        as? [[String: Any]])
    #expect(!omitted.isEmpty)
    for row in omitted {
      #expect(markdown.contains("- **Not listed** \(row["count"] as! Int) \(row["rule"] as! String) findings"))
    }
    #expect(markdown.contains("- **Findings** 19: 3 high, 12 medium, 4 low"))
    let listed = MarkdownTables(markdown).tables.reduce(0) { $0 + $1.rows.count }
    #expect(listed + omitted.reduce(0) { $0 + ($1["count"] as! Int) } == 19)
  }

  @Test("log data with Markdown and HTML syntax stays text: pipes cannot break a table")
  func hostile() throws {
    let summary = try CLI.run(["summary", "--format", "markdown", "--quiet", "Fixtures/hostile"]).stdout
    #expect(summary.contains("| eni-a\\|b\\*c\\_d\\`e\\[f\\](g) |"))
    #expect(summary.contains("eni-&lt;script&gt;document.title='PWNED'&lt;/script&gt;"))
    #expect(!summary.contains("<script") && !summary.contains("<svg"))
    let tables = MarkdownTables(summary).tables
    for table in tables { #expect(table.rows.allSatisfy { $0.count == table.header.count }, "\(table.title)") }
    #expect(tables.first { $0.title.hasPrefix("Interfaces") }?.rows.count == 3)

    let audit = try CLI.run([
      "audit", "--format", "markdown", "--quiet", "--policy", "Fixtures/policies/hostile.yaml", "Fixtures/hostile",
    ]).stdout
    #expect(audit.contains("&lt;b&gt;ssh&lt;/b&gt;-&lt;script&gt;document.title='PWNED-RULE'&lt;/script&gt;"))
    #expect(audit.contains("&amp; restrict port 22 \\| see runbook"))
    #expect(!audit.contains("<script") && !audit.contains("<img") && !audit.contains("<b>"))
    for table in MarkdownTables(audit).tables { #expect(table.rows.allSatisfy { $0.count == 9 }) }
  }
}
