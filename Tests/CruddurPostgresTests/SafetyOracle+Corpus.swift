import Foundation

/// The oracle's statements: every kind issue 17 names, each as variants — the table
/// qualified or not, quoted or not, keywords in upper or lower case, comments and dollar
/// quotes that hide keywords, DML nested in CTEs. What each does is the database's to say.
extension SafetyOracle {
  /// `{t}` is a table with columns id, v, p and three rows; `{c}` a comment or nothing.
  static let templates: [String] = [
    // Rows removed or rewritten, at any depth.
    "delete from {t}{c}",
    "delete from {t} where true{c}",
    "delete from {t} where 1 = 1{c}",
    "delete from {t} where id = 1 or true{c}",
    "delete from {t} where id = id{c}",
    "delete from {t} returning id as where{c}",
    "delete from {t} using (select 1) x{c}",
    "update {t} set v = 'x'{c}",
    "update {t} set v = 'x' where true{c}",
    "update {t} set v = 'x' where not false{c}",
    "with d as (delete from {t} returning 1) select count(*) from d{c}",
    "with d as (update {t} set v = 'y' returning 1) select count(*) from d{c}",
    "with d as (delete from {t} returning id), e as (select id from d) select count(*) from e{c}",
    "with d as (delete from {t} returning id) select count(*) from (select * from (select id from d) a) b{c}",
    "with d as (delete from {t} returning id) insert into u select id + 100 from d{c}",
    "select * from (select 1) s, lateral (select count(*) from {t}) x; delete from {t}{c}",
    "explain analyze delete from {t}{c}",
    "explain (analyze, costs off) update {t} set v = 'z'{c}",
    "explain (analyze true, format json) delete from {t}{c}",
    "prepare p as delete from {t}; execute p{c}",
    "prepare p (int) as update {t} set v = 'q' where $1 = 1; execute p(1){c}",
    "merge into {t} using (select 1 as id) s on true when matched then delete{c}",
    "merge into {t} using (select 1 as id) s on true when matched then update set v = 'm'{c}",
    "create table k2 as with d as (delete from {t} returning *) select * from d{c}",
    "create table k2 as with d as (update {t} set p = 0 returning *) select * from d{c}",
    "do $$ begin execute 'delete from {t}'; end $${c}",
    "do $$ begin delete from {t}; end $${c}",
    "do $body$ begin update {t} set v = 'do'; end $body${c}",
    "do $$ declare n int; begin n := 1; if n = 1 then truncate {t}; end if; end $${c}",
    "create function wipe() returns void language sql as 'delete from {t}'; select wipe(){c}",
    "create function wipe() returns void language plpgsql as $f$ begin truncate {t}; end $f$; select wipe(){c}",
    "create function wipe() returns int language sql begin atomic delete from {t}; select 1; end; select wipe(){c}",
    "create procedure purge() language sql as $$ delete from {t} $$; call purge(){c}",
    "create rule r as on insert to u do instead delete from {t}; insert into u values (9){c}",
    "create function wt() returns trigger language plpgsql as $$ begin delete from {t}; return null; end $$; create trigger w after insert on u for each statement execute function wt(); insert into u values (9){c}",
    "create function rq() returns setof int language plpgsql as $$ begin return query execute 'delete from {t} returning 1'; end $$; select rq(){c}",
    // Objects removed, renamed or rewritten.
    "drop table {t} cascade{c}",
    "truncate {t}{c}",
    "truncate table only {t} restart identity{c}",
    "alter table {t} drop column v{c}",
    "alter table {t} rename to t_old{c}",
    "alter table {t} rename column v to w{c}",
    "alter table {t} alter column p type int{c}",
    "alter table {t} alter column p set data type int using p::int{c}",
    "alter table {t} set schema other{c}",
    "alter table {t} alter column id drop identity{c}",
    "alter table {t} drop constraint t_v_check{c}",
    "alter table {t} add column w timestamptz default clock_timestamp(){c}",
    "revoke select on {t} from oracle_reader{c}",
    "cluster {t} using t_pkey{c}",
    "vacuum full {t}{c}",
    "vacuum (full, analyze) {t}{c}",
    // The program reads what COPY writes before it touches: `touch` alone exited first
    // now and then, and the server's write failed on the closed pipe (EPIPE, XX000).
    "copy {t} to program 'cat > /dev/null; touch {markers}/touched'{c}",
    "copy (select * from {t}) to '{markers}/victim.txt'{c}",
  ]

  /// Statements that name no table of the fixture: each variant only changes case and comments.
  static let fixed: [String] = [
    "drop view public.tv{c}",
    "drop index public.t_v{c}",
    "drop sequence public.seq{c}",
    "drop function public.f_ro(){c}",
    "drop schema other{c}",
    "drop owned by oracle_owner{c}",
    "reassign owned by oracle_owner to postgres{c}",
    "revoke oracle_reader from oracle_owner{c}",
    "select lo_unlink(4242){c}",
    "select pg_catalog.lo_unlink(4242){c}",
    "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'oracle-victim'{c}",
    "alter system set work_mem = '7MB'{c}",
    "drop database {victimdb}{c}",
    "select public.f_wipe(){c}",
    "set standard_conforming_strings = off; update public.t set v = 'a\\' where id = 1 --'{c}",
    "alter sequence public.seq rename to seq2{c}",
    "alter function public.f_ro() rename to f_ro2{c}",
    "comment on table public.t is 'x'; delete from u{c}",
  ]

  /// Statements that leave what was there: the classifier should let most through.
  static let harmless: [String] = [
    "select * from {t} where v = 'delete from t'{c}",
    "select count(*), max(lower(v)), sum(coalesce(p, 0)) from {t}{c}",
    "insert into {t} (v, p) values ('drop table t', 1){c}",
    "insert into {t} (v, p) select v, p from {t} where id = 1{c}",
    "update {t} set v = 'x' where id = 1{c}",
    "update {t} set v = 'x' where id = 1 and true{c}",
    "delete from {t} where id = 1{c}",
    "delete from {t} where v = 'a'{c}",
    "with d as (delete from {t} where id = 1 returning 1) select count(*) from d{c}",
    "merge into {t} as m using (select 1 as id) s on m.id = s.id when matched then update set v = 'm'{c}",
    "explain delete from {t}{c}",
    "explain (analyze false) delete from {t}{c}",
    "create index on {t} (p){c}",
    "alter table {t} add column w int{c}",
    "alter table {t} add column rename int{c}",
    "alter table {t} alter column v drop default{c}",
    "comment on table {t} is 'drop table t'{c}",
    "grant update on {t} to oracle_reader{c}",
    "do $$ begin update {t} set v = 'q' where id = 1; end $${c}",
    "create function tidy() returns void language sql as 'delete from {t} where id = 1'; select tidy(){c}",
    "prepare p as select * from {t}; execute p{c}",
    "copy (select * from {t}) to program 'cat > /dev/null'{c}",
    "set standard_conforming_strings = off; update public.t set v = 'a' where id = 1{c}",
    "select setval('public.seq', 5), nextval('public.seq'){c}",
    "select public.f_ro(){c}",
  ]

  static let tables = ["t", "public.t", "\"t\"", "sch.t", "SCH.T"]
  static let comments = [
    "", " /* where id = 1 */", " -- where id = 1\n", "; select $q$ where id = 1 $q$",
  ]

  static func corpus() -> [String] {
    var cases: [String] = []
    for (index, template) in (templates + harmless).enumerated() {
      // Every table spelling once, and the comment decoys and case changes spread over them.
      for (number, table) in tables.enumerated() {
        var text = template.replacingOccurrences(of: "{t}", with: table)
        text = text.replacingOccurrences(of: "{c}", with: decoy(index + number, for: template))
        if (index + number) % 2 == 1 { text = uppercasingKeywords(text) }
        cases.append(text)
      }
    }
    for (index, template) in fixed.enumerated() {
      for number in 0..<2 {
        var text = template.replacingOccurrences(
          of: "{c}", with: decoy(index + number, for: template))
        if number == 1 { text = uppercasingKeywords(text) }
        cases.append(text)
      }
    }
    return cases
  }

  /// A decoy comment; never a second statement after one that must run outside a
  /// transaction block (several statements in one message form one).
  static func decoy(_ number: Int, for template: String) -> String {
    let comment = comments[number % comments.count]
    let alone =
      template.contains("vacuum") || template.contains("alter system")
      || template.contains("drop database")
    return alone && comment.hasPrefix(";") ? comments[1] : comment
  }

  /// Keywords in upper case, names and strings left alone.
  static func uppercasingKeywords(_ text: String) -> String {
    let keywords: Set<String> = [
      "delete", "from", "where", "update", "set", "with", "as", "select", "returning", "explain",
      "analyze",
      "prepare", "execute", "merge", "into", "using", "on", "when", "matched", "then", "create",
      "table", "drop",
      "truncate", "alter", "column", "rename", "to", "type", "schema", "identity", "constraint",
      "revoke", "grant",
      "cluster", "vacuum", "full", "copy", "program", "insert", "values", "do", "begin", "end",
      "true", "or", "and",
      "not", "false", "count", "only", "restart", "cascade", "add", "default", "index", "comment",
      "is", "function",
      "returns", "language", "void", "rule", "instead", "procedure", "call", "lateral", "int", "if",
    ]
    var out = ""
    var word = ""
    var inString = false
    func flush() {
      out += keywords.contains(word) && !inString ? word.uppercased() : word
      word = ""
    }
    for character in text {
      if character.isLetter || character == "_" {
        word.append(character)
      } else {
        flush()
        if character == "'" { inString.toggle() }
        out.append(character)
      }
    }
    flush()
    return out
  }
}
