import Testing

@testable import CruddurPostgres

@Suite struct StatementJudgeTests {
  static func verdicts(_ script: [String]) -> [SafetyVerdict] {
    var judge = StatementJudge()
    return script.map { judge.judge($0) }
  }

  static func verdict(_ text: String) -> SafetyVerdict { verdicts([text])[0] }

  @Test(
    "every statement of the issue's list is destructive or unknown, with its reason",
    arguments: [
      ("with d as (delete from t returning 1) select count(*) from d", "DELETE without WHERE on t"),
      (
        "with d as (update t set v = 1 returning 1) select count(*) from d",
        "UPDATE without WHERE on t"
      ),
      ("explain analyze delete from t", "DELETE without WHERE on t"),
      (
        "merge into t using (select 1 as id) s on true when matched then delete",
        "MERGE … THEN DELETE on t"
      ),
      (
        "create table k2 as with d as (delete from t returning *) select * from d",
        "DELETE without WHERE on t"
      ),
      ("copy (delete from t returning *) to stdout", "DELETE without WHERE on t"),
      ("do $$ begin execute 'drop table t'; end $$", "DROP TABLE t"),
      ("do $$ begin drop table t; end $$", "DROP TABLE t"),
      ("delete from t where true", "DELETE with a WHERE that reads no column on t"),
      ("delete from t where 1 = 1", "DELETE with a WHERE that reads no column on t"),
      ("DELETE FROM t WHERE id = 1 OR true", "DELETE with a WHERE that reads no column on t"),
      ("delete from t returning id as where", "DELETE without WHERE on t"),
      (
        "alter table t alter column p type int",
        "ALTER TABLE t ALTER COLUMN p TYPE rewrites its values"
      ),
      ("alter table t set schema s", "ALTER TABLE SET SCHEMA"),
      (
        "alter table t alter column id drop identity", "ALTER TABLE t ALTER COLUMN id DROP IDENTITY"
      ),
      ("select lo_unlink(1)", "lo_unlink() removes a large object"),
      ("copy t to program 'rm -rf /'", "COPY … PROGRAM runs a shell command on the server"),
      ("copy t from program 'true'", "COPY … PROGRAM runs a shell command on the server"),
      ("revoke select on t from public", "REVOKE"),
      ("alter system set work_mem = '1GB'", "ALTER SYSTEM changes the server's configuration"),
      (
        "select pg_terminate_backend(pid) from pg_stat_activity",
        "pg_terminate_backend() ends another session"
      ),
      ("vacuum full t", "VACUUM FULL rewrites t"),
      ("cluster t using t_pkey", "CLUSTER rewrites t"),
      ("drop owned by app", "DROP OWNED"),
      ("reassign owned by app to postgres", "REASSIGN OWNED"),
      ("truncate s.t", "TRUNCATE s.t"),
      (
        "create rule r as on insert to u do instead delete from t",
        "rule r: DELETE without WHERE on t"
      ),
    ])
  func destructive(_ text: String, _ reason: String) {
    let verdict = Self.verdict(text)
    #expect(verdict.safetyClass == .destructive, "\(text)")
    #expect(verdict.reason == reason, "\(text)")
  }

  @Test(
    "a statement prepared and executed, and a function created and called, are judged by what they do"
  )
  func sameFile() {
    let verdicts = Self.verdicts([
      "prepare p as delete from t", "execute p",
      "create function wipe() returns void language sql as 'delete from t'", "select wipe()",
      "create function tidy() returns void language plpgsql as $$ begin delete from t where id = 1; end $$",
      "select tidy()",
      "create procedure purge() language plpgsql as $$ begin truncate t; end $$", "call purge()",
    ])
    #expect(
      verdicts.map(\.safetyClass) == [
        .readOnly, .destructive, .writing, .destructive, .writing, .writing, .writing, .destructive,
      ])
    #expect(verdicts[3].reason == "calls wipe(), which DELETE without WHERE on t")
  }

  @Test(
    "what the grammar cannot see through is unknown",
    arguments: [
      ("do $$ begin execute 'drop ' || 'table t'; end $$", "dynamic EXECUTE in a DO block"),
      ("call p()", "CALL p: a procedure may do anything"),
      ("select f(1)", "calls f(), not known to be read-only"),
      ("select app.f(1)", "calls app.f(), not known to be read-only"),
      ("execute q", "EXECUTE q, prepared outside this file"),
      ("do language plperl $$ 1 $$", "a DO block in plperl"),
      ("select * from json_table('[]', '$' columns (a int path '$'))", nil),
      (
        "mergex into t",
        "PostgreSQL 15's grammar cannot read it (syntax error at or near \"mergex\")"
      ),
    ] as [(String, String?)])
  func unknown(_ text: String, _ reason: String?) {
    let verdict = Self.verdict(text)
    #expect(verdict.safetyClass == .unknown, "\(text)")
    if let reason { #expect(verdict.reason == reason, "\(text)") }
  }

  @Test(
    "no false positive on filtered writes, inserts, schema and read-only statements",
    arguments: [
      ("update t set v = 2 where id = 1", SafetyClass.writing),
      ("delete from t where id = 1", .writing),
      ("delete from t where id = 1 and true", .writing),
      ("update t set v = 1 from u where t.id = u.id", .writing),
      ("insert into t (id, v) values (1, 'delete from t')", .writing),
      ("insert into t select * from u where now() > '2020-01-01'", .writing),
      ("insert into t (id, uuid) values (nextval('s'), gen_random_uuid())", .writing),
      ("select pg_catalog.setval('public.t_id_seq', 3, true)", .writing),
      (
        "create table t (id bigint generated always as identity primary key, at timestamptz default now())",
        .writing
      ),
      ("alter table t add column rename int", .writing),
      ("alter table t add column c timestamptz not null default now()", .writing),
      ("alter table t alter column c drop default", .writing),
      ("alter table t alter column c drop not null", .writing),
      ("create index concurrently i on t (lower(v))", .writing),
      ("grant select on t to app", .writing),
      ("comment on table t is 'drop table t'", .writing),
      ("select count(*), lower(v), coalesce(v, '') from t where v like '%delete%'", .readOnly),
      ("explain delete from t", .readOnly),
      ("explain (analyze false) delete from t", .readOnly),
      ("set standard_conforming_strings = on", .readOnly),
      ("begin", .readOnly),
      ("copy t (id, v) from stdin", .writing),
      ("copy (select 1) to stdout", .readOnly),
      ("create or replace view v as select * from t", .writing),
      ("create function f() returns int language sql stable as 'select 1'", .writing),
    ])
  func notDestructive(_ text: String, _ expected: SafetyClass) {
    let verdict = Self.verdict(text)
    #expect(verdict.safetyClass == expected, "\(text): \(verdict.reason ?? "")")
  }

  @Test(
    "a trigger on a function the file created to destroy is destructive; RETURN QUERY EXECUTE is unknown"
  )
  func triggersAndDynamicQueries() {
    let verdicts = Self.verdicts([
      "create function wipe() returns trigger language plpgsql as $$ begin delete from t; return new; end $$",
      "create trigger w after insert on u for each statement execute function wipe()",
      "create function stamp() returns trigger language plpgsql as $$ begin new.at := now(); return new; end $$",
      "create trigger s before update on u for each row execute function stamp()",
      "create trigger x before update on u for each row execute function elsewhere()",
      "do $$ begin perform 1; end $$",
      "create function q() returns setof int language plpgsql as $$ begin return query execute 'delete from t returning 1'; end $$",
      "select q()",
    ])
    #expect(
      verdicts.map(\.safetyClass) == [
        .writing, .destructive, .writing, .writing, .writing, .readOnly, .writing, .unknown,
      ])
    #expect(verdicts[1].reason == "trigger w runs wipe(), which DELETE without WHERE on t")
  }

  @Test("a stable function created in the file, or one the target says is stable, only reads")
  func knownReadOnly() {
    #expect(
      Self.verdicts([
        "create function f() returns int language plpgsql stable as $$ begin return 1; end $$",
        "select f()",
      ])
      .map(\.safetyClass) == [.writing, .readOnly])
    var judge = StatementJudge()
    judge.readOnlyOnTarget = ["app.f"]
    #expect(judge.judge("select app.f()").safetyClass == .readOnly)
    #expect(judge.judge("select app.g()").safetyClass == .unknown)
    #expect(judge.unresolvedFunctions == ["app.g"])
  }

  @Test("with standard_conforming_strings off a backslash in the text makes it unknown")
  func standardConformingStrings() {
    var judge = StatementJudge()
    let hidden = "update t set v = 'a\\' where id = 1 --'"
    #expect(judge.judge(hidden, standardConformingStrings: false).safetyClass == .unknown)
    #expect(judge.judge(hidden, standardConformingStrings: true).safetyClass == .writing)
  }
}
