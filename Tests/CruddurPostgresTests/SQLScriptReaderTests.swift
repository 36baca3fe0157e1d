import Foundation
import Testing
@testable import CruddurPostgres

@Suite struct SQLScriptReaderTests {
    // MARK: - Quoted strings

    @Test("a doubled quote does not end the string")
    func doubledQuote() throws {
        #expect(try statements("SELECT 'it''s; fine';\nSELECT 2;") == [
            statement("SELECT 'it''s; fine'", offset: 0, line: 1, column: 1),
            statement("SELECT 2", offset: 22, line: 2, column: 1),
        ])
    }

    @Test("an E'' string honours backslash-escaped quotes")
    func escapeString() throws {
        #expect(try statements(#"SELECT E'it\'s;';SELECT 2;"#) == [
            statement(#"SELECT E'it\'s;'"#, offset: 0, line: 1, column: 1),
            statement("SELECT 2", offset: 17, line: 1, column: 18),
        ])
    }

    @Test("a lowercase e'' string is an escape string too")
    func lowercaseEscapeString() throws {
        #expect(try texts(#"SELECT e'a\';b';SELECT 2;"#) == [#"SELECT e'a\';b'"#, "SELECT 2"])
    }

    @Test("a doubled backslash inside E'' does not escape the closing quote")
    func escapedBackslash() throws {
        #expect(try texts(#"INSERT INTO t VALUES (E'a\\', E'b\\\\;');SELECT 2;"#) == [
            #"INSERT INTO t VALUES (E'a\\', E'b\\\\;')"#, "SELECT 2",
        ])
    }

    @Test("a backslash in a plain string is literal while standard_conforming_strings is on")
    func plainBackslash() throws {
        #expect(try texts(#"SELECT 'a\';SELECT 'b';"#) == [#"SELECT 'a\'"#, "SELECT 'b'"])
    }

    @Test("only a lone E before a quote starts an escape string")
    func identifierEndingInE() throws {
        #expect(try texts(#"SELECT xe'a\';SELECT 2;"#) == [#"SELECT xe'a\'"#, "SELECT 2"])
    }

    @Test("an E'' string continued on the next line keeps escape mode")
    func escapeStringContinuation() throws {
        #expect(try texts("SELECT E'a'\n'b\\';c';\nSELECT 2;") == ["SELECT E'a'\n'b\\';c'", "SELECT 2"])
    }

    @Test("a string spanning lines advances the line count")
    func multilineString() throws {
        #expect(try statements("SELECT 'a\nb\nc';\n  SELECT 2;") == [
            statement("SELECT 'a\nb\nc'", offset: 0, line: 1, column: 1),
            statement("SELECT 2", offset: 18, line: 4, column: 3),
        ])
    }

    // MARK: - standard_conforming_strings

    @Test("SET standard_conforming_strings = off makes backslash escape in plain strings")
    func standardConformingStringsOff() throws {
        let script = """
            SET standard_conforming_strings = off;
            SELECT 'a\\';b';
            SET standard_conforming_strings = on;
            SELECT 'c\\';
            """
        // Each statement keeps the setting it was read under, for the parser's judgment.
        func readOff(_ statement: SQLStatement) -> SQLStatement {
            var statement = statement
            statement.standardConformingStrings = false
            return statement
        }
        #expect(try statements(script) == [
            statement("SET standard_conforming_strings = off", offset: 0, line: 1, column: 1,
                      setting: "standard_conforming_strings"),
            readOff(statement("SELECT 'a\\';b'", offset: 39, line: 2, column: 1)),
            readOff(statement("SET standard_conforming_strings = on", offset: 55, line: 3, column: 1,
                      setting: "standard_conforming_strings")),
            statement("SELECT 'c\\'", offset: 93, line: 4, column: 1),
        ])
    }

    @Test("every spelling of off disables standard_conforming_strings",
          arguments: ["SET standard_conforming_strings TO off", "SET standard_conforming_strings = 'off'",
                      "SET standard_conforming_strings = false", "SET SESSION standard_conforming_strings = OFF",
                      "set \"standard_conforming_strings\" to 'false'",
                      "SELECT pg_catalog.set_config('standard_conforming_strings', 'off', false)"])
    func standardConformingStringsSpellings(_ setting: String) throws {
        let items = try statements("\(setting);\nSELECT 'x\\';y';")
        #expect(items.map(\.text) == [setting, "SELECT 'x\\';y'"])
        #expect(items[0].settingChange == "standard_conforming_strings")
    }

    @Test("RESET standard_conforming_strings turns backslash escapes off again")
    func resetStandardConformingStrings() throws {
        #expect(try texts("SET standard_conforming_strings = off;\nRESET standard_conforming_strings;\nSELECT 'a\\';SELECT 2;") == [
            "SET standard_conforming_strings = off", "RESET standard_conforming_strings", "SELECT 'a\\'", "SELECT 2",
        ])
    }

    @Test("E'' strings stay escape strings when standard_conforming_strings is off")
    func escapeStringWithStandardStringsOff() throws {
        #expect(try texts("SET standard_conforming_strings = off;SELECT E'\\'', '\\\\';SELECT 1;") == [
            "SET standard_conforming_strings = off", "SELECT E'\\'', '\\\\'", "SELECT 1",
        ])
    }

    // MARK: - Dollar quotes

    @Test("an untagged dollar quote hides semicolons")
    func dollarQuote() throws {
        #expect(try statements("DO $$ BEGIN PERFORM 1; END $$;\nSELECT 2;") == [
            statement("DO $$ BEGIN PERFORM 1; END $$", offset: 0, line: 1, column: 1),
            statement("SELECT 2", offset: 31, line: 2, column: 1),
        ])
    }

    @Test("a tagged dollar quote ends only at the same tag")
    func taggedDollarQuote() throws {
        let body = "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $fn$ SELECT $$;$$; $fn$"
        #expect(try texts(body + ";\nSELECT 2;") == [body, "SELECT 2"])
    }

    @Test("nested dollar quotes with different tags")
    func nestedDollarQuotes() throws {
        let body = "DO $a$ BEGIN EXECUTE $b$ SELECT 1; $b$; END $a$"
        #expect(try texts(body + "; SELECT 2;") == [body, "SELECT 2"])
    }

    @Test("positional parameters like $1 are not dollar quotes")
    func positionalParameters() throws {
        #expect(try texts("PREPARE p(int, int) AS SELECT $1 + $2;\nEXECUTE p(1, 2);") == [
            "PREPARE p(int, int) AS SELECT $1 + $2", "EXECUTE p(1, 2)",
        ])
    }

    @Test("a dollar sign inside an identifier does not start a dollar quote")
    func dollarInIdentifier() throws {
        #expect(try texts("SELECT a$b$c FROM t;\nSELECT $b$;$b$;") == ["SELECT a$b$c FROM t", "SELECT $b$;$b$"])
    }

    // MARK: - Identifiers and comments

    @Test("a quoted identifier with a doubled quote and a semicolon")
    func quotedIdentifier() throws {
        #expect(try texts(#"SELECT "a"";b" FROM t;SELECT 2;"#) == [#"SELECT "a"";b" FROM t"#, "SELECT 2"])
    }

    @Test("a quoted identifier with non-ASCII letters")
    func unicodeQuotedIdentifier() throws {
        #expect(try statements("SELECT \"naïve;col\" FROM t; SELECT 2;") == [
            statement("SELECT \"naïve;col\" FROM t", offset: 0, line: 1, column: 1),
            // 26 scalars before the second statement but 27 bytes: ï is two bytes.
            statement("SELECT 2", offset: 28, line: 1, column: 28),
        ])
    }

    @Test("a semicolon in a line comment does not split")
    func lineComment() throws {
        #expect(try texts("SELECT 1 -- no; split\n, 2;\nSELECT 3;") == ["SELECT 1 -- no; split\n, 2", "SELECT 3"])
    }

    @Test("nested block comments hide semicolons")
    func nestedBlockComments() throws {
        #expect(try texts("SELECT /* a /* b; */ c; */ 1;SELECT 2;") == ["SELECT /* a /* b; */ c; */ 1", "SELECT 2"])
    }

    @Test("leading comments and whitespace are not part of the statement")
    func leadingComments() throws {
        #expect(try statements("-- header; x\n/* c; */ SELECT 1;\n\n  /* x */\n\tSELECT 2;") == [
            statement("SELECT 1", offset: 22, line: 2, column: 10),
            statement("SELECT 2", offset: 44, line: 5, column: 2),
        ])
    }

    @Test("a trailing comment after the last statement yields nothing")
    func trailingComment() throws {
        #expect(try texts("SELECT 1;\n-- the end; really\n/* done */\n") == ["SELECT 1"])
    }

    @Test("an operator made of minus signs is not a comment until two follow")
    func minusOperator() throws {
        #expect(try texts("SELECT 5 - -3;SELECT 1--2;\n;SELECT 3 / 2;") == ["SELECT 5 - -3", "SELECT 1--2;", "SELECT 3 / 2"])
    }

    // MARK: - Statement boundaries

    @Test("a missing final semicolon still yields the last statement")
    func missingFinalSemicolon() throws {
        #expect(try statements("SELECT 1;\nSELECT 2  \n\n") == [
            statement("SELECT 1", offset: 0, line: 1, column: 1),
            statement("SELECT 2", offset: 10, line: 2, column: 1),
        ])
    }

    @Test("an empty file has no items")
    func emptyFile() throws {
        #expect(try readAll("").isEmpty)
    }

    @Test("a file of only comments and whitespace has no items")
    func onlyComments() throws {
        #expect(try readAll("  \n-- one\n/* two /* nested */ */\r\n\t\n-- last without newline").isEmpty)
    }

    @Test("empty statements between semicolons are skipped")
    func emptyStatements() throws {
        #expect(try statements(";; ;\nSELECT 1;;") == [statement("SELECT 1", offset: 5, line: 2, column: 1)])
    }

    @Test("several statements on one line")
    func statementsOnOneLine() throws {
        #expect(try statements("SELECT 1;SELECT 2; SELECT 3 ;  SELECT 4") == [
            statement("SELECT 1", offset: 0, line: 1, column: 1),
            statement("SELECT 2", offset: 9, line: 1, column: 10),
            statement("SELECT 3", offset: 19, line: 1, column: 20),
            statement("SELECT 4", offset: 31, line: 1, column: 32),
        ])
    }

    @Test("columns count Unicode scalars, offsets count bytes")
    func unicodeColumns() throws {
        #expect(try statements("SELECT 'é'; SELECT 2; SELECT '😀'; SELECT 3;") == [
            statement("SELECT 'é'", offset: 0, line: 1, column: 1),
            statement("SELECT 2", offset: 13, line: 1, column: 13),
            statement("SELECT '😀'", offset: 23, line: 1, column: 23),
            statement("SELECT 3", offset: 38, line: 1, column: 35),
        ])
    }

    @Test("a UTF-8 byte order mark is skipped but counted in byte offsets")
    func byteOrderMark() throws {
        #expect(try statements("\u{FEFF}SELECT 1;\nSELECT 2;") == [
            statement("SELECT 1", offset: 3, line: 1, column: 1),
            statement("SELECT 2", offset: 13, line: 2, column: 1),
        ])
    }

    @Test("a byte order mark followed by a meta-command")
    func byteOrderMarkThenMeta() throws {
        #expect(try metas("\u{FEFF}\\restrict k1\n") == [
            MetaCommand(name: "restrict", arguments: ["k1"], line: 1, column: 1, byteOffset: 3),
        ])
    }

    @Test("CRLF line ends count as one line and are trimmed from statement ends")
    func crlf() throws {
        #expect(try statements("SELECT 1;\r\nSELECT\r\n  2;\r\n\r\n  SELECT 3\r\n") == [
            statement("SELECT 1", offset: 0, line: 1, column: 1),
            statement("SELECT\r\n  2", offset: 11, line: 2, column: 1),
            statement("SELECT 3", offset: 29, line: 5, column: 3),
        ])
    }

    @Test("semicolons inside parentheses do not split, like psql (CREATE RULE ... DO (...; ...))")
    func parenthesesKeepSemicolons() throws {
        let rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))"
        #expect(try texts(rule + ";\nSELECT 1;") == [rule, "SELECT 1"])
    }

    // MARK: - BEGIN ATOMIC bodies

    @Test("semicolons inside a BEGIN ATOMIC function body do not split")
    func beginAtomic() throws {
        let function = """
            CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              SELECT 1;
              SELECT a + 1;
            END
            """
        #expect(try statements(function + ";\nSELECT 3;") == [
            statement(function, offset: 0, line: 1, column: 1),
            statement("SELECT 3", offset: 96, line: 6, column: 1),
        ])
    }

    @Test("CASE ... END inside a BEGIN ATOMIC body is tracked")
    func beginAtomicWithCase() throws {
        let procedure = "CREATE OR REPLACE PROCEDURE p(x int) LANGUAGE sql BEGIN ATOMIC "
            + "INSERT INTO t VALUES (CASE WHEN x > 0 THEN 1 ELSE 2 END); "
            + "SELECT CASE x WHEN 1 THEN 'a' END; END"
        #expect(try texts(procedure + ";SELECT 2;") == [procedure, "SELECT 2"])
    }

    @Test("BEGIN and END outside function definitions are ordinary statements")
    func transactionBlock() throws {
        #expect(try statements("BEGIN;\nSELECT CASE WHEN true THEN 1 END;\nEND;") == [
            statement("BEGIN", offset: 0, line: 1, column: 1, transaction: true, block: true),
            statement("SELECT CASE WHEN true THEN 1 END", offset: 7, line: 2, column: 1),
            statement("END", offset: 41, line: 3, column: 1, transaction: true, block: true),
        ])
    }

    @Test("a plpgsql body in a dollar quote does not engage BEGIN tracking")
    func plpgsqlFunction() throws {
        let function = "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; END; $$"
        #expect(try texts(function + ";\nSELECT 1;") == [function, "SELECT 1"])
    }

    // MARK: - Meta-commands

    @Test("\\connect with -reuse-previous and a double-quoted connection string")
    func connectMeta() throws {
        let items = try readAll("SELECT 1;\n\\connect -reuse-previous=on \"dbname='x'\"\nSELECT 2;")
        #expect(items == [
            .statement(statement("SELECT 1", offset: 0, line: 1, column: 1)),
            .meta(MetaCommand(name: "connect", arguments: ["-reuse-previous=on", "dbname='x'"], line: 2, column: 1, byteOffset: 10)),
            .statement(statement("SELECT 2", offset: 51, line: 3, column: 1)),
        ])
    }

    @Test("\\c is reported as connect")
    func shortConnect() throws {
        #expect(try metas("  \\c mydb\n") == [
            MetaCommand(name: "connect", arguments: ["mydb"], line: 1, column: 3, byteOffset: 2),
        ])
    }

    @Test("\\restrict and \\unrestrict around a dump")
    func restrictMeta() throws {
        #expect(try readAll("\\restrict abc123\r\nSELECT 1;\r\n\\unrestrict abc123\r\n") == [
            .meta(MetaCommand(name: "restrict", arguments: ["abc123"], line: 1, column: 1, byteOffset: 0)),
            .statement(statement("SELECT 1", offset: 18, line: 2, column: 1)),
            .meta(MetaCommand(name: "unrestrict", arguments: ["abc123"], line: 3, column: 1, byteOffset: 29)),
        ])
    }

    @Test("include and set meta-commands keep their arguments")
    func includeAndSet() throws {
        #expect(try metas("\\i other.sql\n\\ir ../x.sql\n\\include_relative  a.sql\n\\set ON_ERROR_STOP on\n\\set v 'it''s a b'") == [
            MetaCommand(name: "i", arguments: ["other.sql"], line: 1, column: 1, byteOffset: 0),
            MetaCommand(name: "ir", arguments: ["../x.sql"], line: 2, column: 1, byteOffset: 13),
            MetaCommand(name: "include_relative", arguments: ["a.sql"], line: 3, column: 1, byteOffset: 26),
            MetaCommand(name: "set", arguments: ["ON_ERROR_STOP", "on"], line: 4, column: 1, byteOffset: 51),
            MetaCommand(name: "set", arguments: ["v", "it's a b"], line: 5, column: 1, byteOffset: 73),
        ])
    }

    @Test("double quotes are kept for meta-commands other than connect")
    func doubleQuotedMetaArgument() throws {
        #expect(try metas(#"\set x "a b" 'c\td'"#).first?.arguments == ["x", "\"a b\"", "c\td"])
    }

    @Test("a meta-command may follow a statement on the same line")
    func metaAfterStatement() throws {
        #expect(try readAll("SELECT 1; \\c other\nSELECT 2;") == [
            .statement(statement("SELECT 1", offset: 0, line: 1, column: 1)),
            .meta(MetaCommand(name: "connect", arguments: ["other"], line: 1, column: 11, byteOffset: 10)),
            .statement(statement("SELECT 2", offset: 19, line: 2, column: 1)),
        ])
    }

    @Test("a backslash inside an unfinished statement is an error")
    func metaInsideStatement() {
        #expect(scriptError("SELECT 1\n\\g\n") == SQLScriptError(
            message: "a backslash meta-command inside an SQL statement is not supported", line: 2, column: 1))
    }

    @Test("a backslash inside quotes or comments is not a meta-command")
    func backslashInsideQuotes() throws {
        #expect(try readAll("SELECT '\n\\c x\n';\n/*\n\\c y\n*/\n-- \\c z\nSELECT \"\n\\q\";") == [
            .statement(statement("SELECT '\n\\c x\n'", offset: 0, line: 1, column: 1)),
            .statement(statement("SELECT \"\n\\q\"", offset: 36, line: 8, column: 1)),
        ])
    }

    // MARK: - COPY FROM stdin

    @Test("COPY FROM stdin data is returned raw up to the \\. line")
    func copyFromStdin() throws {
        let script = "COPY t (a, b) FROM stdin;\n1\tit's; \\N\n2\t\\\\x\t\"q\"\n\\.x\n\\.\nSELECT 1;"
        #expect(try readAll(script) == [
            .statement(statement("COPY t (a, b) FROM stdin", offset: 0, line: 1, column: 1, copy: true)),
            .copyData(Array("1\tit's; \\N\n2\t\\\\x\t\"q\"\n\\.x\n".utf8)),
            .copyEnd(line: 5),
            .statement(statement("SELECT 1", offset: 54, line: 6, column: 1)),
        ])
    }

    @Test("COPY ... FROM STDIN is recognised case-insensitively and with options")
    func copyFromStdinVariants() throws {
        let script = "copy public.\"T\" FROM STDIN WITH (FORMAT csv);\na,b\n\\.\nCopy (SELECT 1) TO STDOUT;\n"
        let items = try readAll(script)
        #expect(items == [
            .statement(statement("copy public.\"T\" FROM STDIN WITH (FORMAT csv)", offset: 0, line: 1, column: 1, copy: true)),
            .copyData(Array("a,b\n".utf8)),
            .copyEnd(line: 3),
            .statement(statement("Copy (SELECT 1) TO STDOUT", offset: 53, line: 4, column: 1)),
        ])
    }

    @Test("COPY TO stdout and COPY FROM a file are plain statements")
    func copyNotFromStdin() throws {
        let found = try statements("COPY t TO stdout;\nCOPY t FROM '/tmp/stdin';\nCOPY (SELECT 'from stdin') TO stdout;\n")
        #expect(found.map(\.text) == ["COPY t TO stdout", "COPY t FROM '/tmp/stdin'", "COPY (SELECT 'from stdin') TO stdout"])
        #expect(found.allSatisfy { !$0.isCopyFromStdin })
    }

    @Test("a CRLF terminator line ends COPY data")
    func copyCRLF() throws {
        #expect(try readAll("COPY t FROM stdin;\r\n1\tx\r\n\\.\r\nSELECT 1;\r\n") == [
            .statement(statement("COPY t FROM stdin", offset: 0, line: 1, column: 1, copy: true)),
            .copyData(Array("1\tx\r\n".utf8)),
            .copyEnd(line: 3),
            .statement(statement("SELECT 1", offset: 29, line: 4, column: 1)),
        ])
    }

    @Test("an empty COPY data block and a terminator at end of file")
    func emptyCopyBlock() throws {
        #expect(try readAll("COPY t FROM stdin; -- nothing\n\\.\nCOPY u FROM stdin;\n1\n\\.") == [
            .statement(statement("COPY t FROM stdin", offset: 0, line: 1, column: 1, copy: true)),
            .copyEnd(line: 2),
            .statement(statement("COPY u FROM stdin", offset: 33, line: 3, column: 1, copy: true)),
            .copyData(Array("1\n".utf8)),
            .copyEnd(line: 5),
        ])
    }

    @Test("COPY data without a \\. line is an error")
    func copyWithoutTerminator() {
        #expect(scriptError("SELECT 1;\n  COPY t FROM stdin;\n1\n2\n") == SQLScriptError(
            message: "COPY FROM stdin data is not terminated by a \\. line", line: 2, column: 3))
        #expect(scriptError("COPY t FROM stdin") != nil)
    }

    @Test("text after COPY FROM stdin on the same line is rejected")
    func copyTrailingText() {
        #expect(scriptError("COPY t FROM stdin; SELECT 1;\n\\.\n") == SQLScriptError(
            message: "text after COPY ... FROM stdin on the same line is not supported", line: 1, column: 20))
    }

    @Test("large COPY data arrives in chunks of at most 64 KiB that end at line ends")
    func copyChunking() throws {
        var data = ""
        for i in 0..<20_000 { data += "\(i)\tvalue number \(i); with 'quotes' and \\\\ backslashes\n" }
        let script = "COPY t FROM stdin;\n" + data + "\\.\nSELECT 1;\n"
        let reader = SQLScriptReader(bytes: Array(script.utf8))
        var chunks: [[UInt8]] = []
        var last: SQLScriptItem?
        while let item = try reader.next() {
            if case .copyData(let bytes) = item { chunks.append(bytes) } else { last = item }
        }
        #expect(chunks.count > 10)
        #expect(chunks.allSatisfy { $0.count <= 64 * 1024 && $0.last == 0x0A })
        #expect(chunks.flatMap { $0 } == Array(data.utf8))
        #expect(last == .statement(statement("SELECT 1", offset: script.utf8.count - 10, line: 20_003, column: 1)))
    }

    @Test("a COPY line longer than a chunk is split into bounded pieces")
    func copyLongLine() throws {
        let line = String(repeating: "abcdefgh", count: 30_000) + "\n"
        let script = "COPY t FROM stdin;\nshort\n" + line + "\\.\n"
        for readSize in [7_919, SQLScriptReader.defaultReadSize] {
            let reader = SQLScriptReader(bytes: Array(script.utf8), readSize: readSize)
            var chunks: [[UInt8]] = []
            while let item = try reader.next() {
                if case .copyData(let bytes) = item { chunks.append(bytes) }
            }
            #expect(chunks.allSatisfy { $0.count <= 64 * 1024 })
            #expect(chunks.flatMap { $0 } == Array(("short\n" + line).utf8))
            #expect(reader.peakBufferBytes <= 1 << 20)
        }
    }

    // MARK: - Errors

    @Test("an unterminated quoted string is reported at its opening quote")
    func unterminatedString() {
        #expect(scriptError("SELECT 1;\nSELECT 'é', 'abc;\nmore") == SQLScriptError(
            message: "unterminated quoted string", line: 2, column: 13))
    }

    @Test("an unterminated dollar quote is reported at its opening tag")
    func unterminatedDollarQuote() {
        #expect(scriptError("DO\n  $body$ BEGIN; END $bod$;") == SQLScriptError(
            message: "unterminated dollar-quoted string", line: 2, column: 3))
    }

    @Test("an unterminated block comment is reported where it opens")
    func unterminatedComment() {
        #expect(scriptError("SELECT 1;\n /* a /* b */\n") == SQLScriptError(
            message: "unterminated /* comment", line: 2, column: 2))
    }

    @Test("an unterminated quoted identifier is an error")
    func unterminatedIdentifier() {
        #expect(scriptError("SELECT \"abc;") == SQLScriptError(
            message: "unterminated quoted identifier", line: 1, column: 8))
    }

    @Test("after an error the reader keeps throwing it")
    func errorIsSticky() throws {
        let reader = SQLScriptReader(bytes: Array("SELECT 1; SELECT 'x".utf8))
        #expect(try reader.next() == .statement(statement("SELECT 1", offset: 0, line: 1, column: 1)))
        #expect(throws: SQLScriptError.self) { try reader.next() }
        #expect(throws: SQLScriptError.self) { try reader.next() }
    }

    // MARK: - Classification

    @Test("statements that must run outside a transaction block",
          arguments: ["CREATE DATABASE x", "DROP DATABASE IF EXISTS x", "VACUUM", "vacuum (analyze) t",
                      "CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)",
                      "DROP INDEX CONCURRENTLY i", "REINDEX TABLE CONCURRENTLY t", "REINDEX (VERBOSE) DATABASE d",
                      "ALTER SYSTEM SET work_mem = '1MB'", "CREATE TABLESPACE ts LOCATION '/x'", "DROP TABLESPACE ts",
                      "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p", "DROP SUBSCRIPTION s",
                      "ALTER SUBSCRIPTION s REFRESH PUBLICATION", "ALTER DATABASE d SET TABLESPACE ts",
                      "ALTER TABLE t DETACH PARTITION p CONCURRENTLY", "CLUSTER", "CLUSTER VERBOSE", "DISCARD ALL",
                      "COMMIT PREPARED 'x'", "/* c */ VACUUM FULL t"])
    func outsideTransaction(_ sql: String) throws {
        #expect(try statements(sql + ";").first?.mustRunOutsideTransaction == true)
    }

    @Test("statements that may run inside a transaction block",
          arguments: ["CREATE INDEX i ON t (a)", "DROP INDEX i", "REINDEX TABLE t", "ALTER TYPE e ADD VALUE 'x'",
                      "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false, slot_name = 's')",
                      "ALTER DATABASE d SET work_mem = '1MB'", "CLUSTER t USING i", "DISCARD PLANS",
                      "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$VACUUM$$", "SELECT 'CREATE DATABASE x'",
                      "ALTER TABLE t DETACH PARTITION p", "ANALYZE t", "INSERT INTO t VALUES ('VACUUM')"])
    func insideTransaction(_ sql: String) throws {
        #expect(try statements(sql + ";").first?.mustRunOutsideTransaction == false)
    }

    @Test("transaction control statements",
          arguments: ["BEGIN", "begin work", "START TRANSACTION ISOLATION LEVEL SERIALIZABLE", "COMMIT", "END",
                      "ROLLBACK", "ROLLBACK TO SAVEPOINT a", "ABORT", "SAVEPOINT a", "RELEASE SAVEPOINT a",
                      "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'"])
    func transactionControl(_ sql: String) throws {
        #expect(try statements(sql + ";").first?.isTransactionControl == true)
    }

    @Test("statements that only look like transaction control",
          arguments: ["PREPARE q AS SELECT 1", "START_X", "SELECT 'BEGIN'", "COMMENT ON TABLE t IS 'commit'"])
    func notTransactionControl(_ sql: String) throws {
        #expect(try statements(sql + ";").first?.isTransactionControl == false)
    }

    @Test("setting changes are reported for client_encoding and standard_conforming_strings")
    func settingChanges() throws {
        let found = try statements("""
            SET client_encoding = 'UTF8';
            SET standard_conforming_strings = on;
            SELECT pg_catalog.set_config('search_path', '', false);
            SET NAMES 'LATIN1';
            SET search_path = public;
            SELECT set_config('client_encoding', 'UTF8', false);
            """)
        #expect(found.map(\.settingChange) == [
            "client_encoding", "standard_conforming_strings", nil, "client_encoding", nil, "client_encoding",
        ])
    }

    // MARK: - Whole scripts and files

    @Test("a pg_dump style script splits into the expected items")
    func pgDumpScript() throws {
        let script = """
            --
            -- PostgreSQL database dump
            --

            \\restrict Zx9

            SET statement_timeout = 0;
            SET client_encoding = 'UTF8';
            SET standard_conforming_strings = on;
            SELECT pg_catalog.set_config('search_path', '', false);

            CREATE TABLE public.t (
                id integer NOT NULL,
                note text
            );

            COPY public.t (id, note) FROM stdin;
            1\tsemi; colon
            2\t\\N
            \\.


            ALTER TABLE ONLY public.t
                ADD CONSTRAINT t_pkey PRIMARY KEY (id);

            \\unrestrict Zx9

            """
        let items = try readAll(script)
        #expect(items.count == 11)
        #expect(items.first == .meta(MetaCommand(name: "restrict", arguments: ["Zx9"], line: 5, column: 1, byteOffset: 35)))
        #expect(items[5] == .statement(statement(
            "CREATE TABLE public.t (\n    id integer NOT NULL,\n    note text\n)", offset: 202, line: 12, column: 1)))
        #expect(items[7] == .copyData(Array("1\tsemi; colon\n2\t\\N\n".utf8)))
        #expect(items[8] == .copyEnd(line: 20))
        #expect(items[9] == .statement(statement(
            "ALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_pkey PRIMARY KEY (id)", offset: 330, line: 23, column: 1)))
        #expect(items[10] == .meta(MetaCommand(name: "unrestrict", arguments: ["Zx9"], line: 26, column: 1, byteOffset: 401)))
    }

    @Test("reading from a file matches reading from memory; a missing file is an error")
    func readFromFile() throws {
        let script = "\u{FEFF}SELECT 1;\nCOPY t FROM stdin;\na\n\\.\n\\c db\nSELECT 'é';"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sqlsplit-\(UUID().uuidString).sql").path
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try SQLScriptReader(path: path)
        var items: [SQLScriptItem] = []
        while let item = try reader.next() { items.append(item) }
        #expect(items == (try SQLScriptReader.split(script)))
        #expect(items.count == 6)
        #expect(throws: SQLScriptError.self) { try SQLScriptReader(path: path + ".missing") }
    }

    @Test("random mixes of tricky fragments split the same for every read size")
    func randomScripts() throws {
        let fragments = [
            "SELECT 'a''b;c';", "SELECT E'\\\\';", "SELECT E'x\\'y;';", "DO $f$ x; $$;$$ $f$;",
            "SELECT \"q\"\";\";", "-- c; \n", "/* a /* ; */ b */", "SELECT $1;", "\n", "\r\n", "  ",
            "SELECT 'é😀';", "\\set x 'y z'\n", "COPY t FROM stdin;\na\tb;\n\\.\n",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;",
            "SET standard_conforming_strings = off;", "SET standard_conforming_strings = on;",
            "SELECT 'p\\'';", "SELECT (1;2);", "SELECT a$b$c;",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var readable = 0
        for _ in 0..<200 {
            var script = ""
            for _ in 0..<random(25) {
                script += fragments[random(fragments.count)]
                // A meta-command or COPY must start outside a statement, so
                // terminate whatever an earlier fragment left open.
                if random(3) == 0 { script += ";\n" }
            }
            let reference = try? SQLScriptReader.split(script)
            if let reference, !reference.isEmpty { readable += 1 }
            for readSize in [1, 2, 7] {
                let reader = SQLScriptReader(bytes: Array(script.utf8), readSize: readSize)
                var items: [SQLScriptItem] = []
                let outcome: [SQLScriptItem]? = try? {
                    while let item = try reader.next() { items.append(item) }
                    return items
                }()
                #expect(outcome.map(coalescingCopyData) == reference.map(coalescingCopyData), "\(script.debugDescription)")
            }
        }
        // Most mixes must be valid scripts, or the comparison proves little.
        #expect(readable > 100, "only \(readable) readable scripts")
    }

    @Test("a 50 MB script of 200k INSERTs and a COPY block is read in bounded memory")
    func largeFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sqlsplit-big-\(UUID().uuidString).sql").path
        close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let padding = String(repeating: "x", count: 150)
        var block = "SET standard_conforming_strings = on;\nCOPY public.t (a, b) FROM stdin;\n"
        for i in 0..<50_000 { block += "\(i)\tsome data; with 'quotes' \\\\ and tabs\n" }
        block += "\\.\n"
        var copyBytes = 0
        for i in 0..<50_000 { copyBytes += "\(i)\tsome data; with 'quotes' \\\\ and tabs\n".utf8.count }
        var total = 0
        for i in 0..<200_000 {
            block += "INSERT INTO public.items VALUES (\(i), 'it''s; \(padding)', E'a\\'b;', $$x;y$$); -- c;\n"
            if block.utf8.count > 1 << 20 {
                total += block.utf8.count
                try handle.write(contentsOf: Data(block.utf8))
                block = ""
            }
        }
        total += block.utf8.count
        try handle.write(contentsOf: Data(block.utf8))
        try handle.close()
        #expect(total > 45_000_000)

        let reader = try SQLScriptReader(path: path)
        var statementCount = 0
        var inserts = 0
        var dataBytes = 0
        var copyEnds = 0
        var lastLine = 0
        while let item = try reader.next() {
            switch item {
            case .statement(let s):
                statementCount += 1
                if s.text.hasPrefix("INSERT") {
                    inserts += 1
                    #expect(s.text.hasSuffix("$$x;y$$)"))
                }
                lastLine = s.line
            case .copyData(let bytes): dataBytes += bytes.count
            case .copyEnd: copyEnds += 1
            case .meta: Issue.record("unexpected meta-command")
            }
        }
        #expect(statementCount == 200_002)
        #expect(inserts == 200_000)
        #expect(dataBytes == copyBytes)
        #expect(copyEnds == 1)
        #expect(lastLine == 50_003 + 200_000)
        #expect(reader.peakBufferBytes <= 1 << 20)
    }
}
