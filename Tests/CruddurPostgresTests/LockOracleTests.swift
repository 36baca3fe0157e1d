import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

@testable import CruddurPostgres

/// The lock rules against the server itself: each statement runs in session A (inside
/// `BEGIN`, rolled back after), session B reads `pg_locks` for A's pid, and the strongest
/// lock on each relation the plan names must be the one the plan claims; `relfilenode`
/// before and after must agree with the plan's "rewrites". Statements that cannot run in a
/// transaction block run while B holds ACCESS EXCLUSIVE on the table, and the mode A
/// waits for is the one it asks for.
@Suite(.postgresCluster) struct LockOracleTests {
  static let setup = """
    create table u (id int primary key);
    insert into u select generate_series(1, 1000);
    create table t (id int primary key, a int, b text, c varchar(10), d int not null default 0, p int);
    insert into t select g, g, 'x' || g, 'y', g, g from generate_series(1, 1000) g;
    create index t_a on t (a);
    create unique index t_id_uq on t (id);
    alter table t add constraint t_check check (a > 0) not valid;
    alter table t add constraint t_fk foreign key (p) references u (id);
    create function trg() returns trigger language plpgsql as $$ begin return new; end $$;
    create trigger t_trg before insert on t for each row execute function trg();
    create rule t_rule as on delete to t where old.id < 0 do also nothing;
    create materialized view mv as select id, a from t;
    create unique index mv_id on mv (id);
    create table lone (id int, a int);
    insert into lone select g, g from generate_series(1, 1000) g;
    create table lone_parent (id int);
    create table parted (id int) partition by range (id);
    create table part (id int);
    insert into part select generate_series(1, 999);
    create table part_old partition of parted for values from (1000) to (2000);
    create table gen (a int, x int generated always as (a * 2) stored);
    insert into gen select generate_series(1, 1000);
    create table ident (id int not null);
    insert into ident select generate_series(1, 1000);
    """

  /// ≥ 60 statements over every kind of ALTER TABLE subcommand and the other DDL a
  /// migration carries.
  static let inTransaction = [
    "alter table t add column n1 int",
    "alter table t add column n2 int default 5",
    "alter table t add column n3 int not null default 5",
    "alter table t add column n4 float8 default random()",
    "alter table t add column n5 uuid default gen_random_uuid()",
    "alter table t add column n6 timestamptz default now()",
    "alter table t add column n7 timestamptz default clock_timestamp()",
    "alter table t add column n8 int generated always as (a * 2) stored",
    "alter table t add column n9 int generated always as identity",
    "alter table t add column n10 int check (n10 > 0)",
    "alter table t add column n11 int references u (id)",
    "alter table t add column n12 int unique",
    "alter table t drop column b",
    "alter table t alter column a set default 1",
    "alter table t alter column d drop default",
    "alter table t alter column a set not null",
    "alter table t alter column d drop not null",
    "alter table lone alter column a type bigint",
    "alter table t alter column c type varchar(20)",
    "alter table t alter column c type text",
    "alter table t alter column a set statistics 500",
    "alter table t alter column a set (n_distinct = 10)",
    "alter table t alter column a reset (n_distinct)",
    "alter table t alter column b set storage external",
    "alter table t alter column b set compression pglz",
    "alter table ident alter column id add generated always as identity",
    "alter table t add constraint ck check (a > 0)",
    "alter table t add constraint ck check (a > 0) not valid",
    "alter table t add constraint fk foreign key (p) references u (id)",
    "alter table t add constraint fk foreign key (p) references u (id) not valid",
    "alter table t add constraint uq unique (a)",
    "alter table t add constraint ex exclude using btree (a with =)",
    "alter table t add constraint uq2 unique using index t_id_uq",
    "alter table t validate constraint t_check",
    "alter table t drop constraint t_check",
    "alter table t alter constraint t_fk deferrable",
    "alter table t set (fillfactor = 70)",
    "alter table t reset (fillfactor)",
    "alter table t set (autovacuum_enabled = false)",
    "alter table t cluster on t_a",
    "alter table t set without cluster",
    "alter table t enable trigger t_trg",
    "alter table t disable trigger t_trg",
    "alter table t disable trigger all",
    "alter table t enable replica trigger t_trg",
    "alter table t disable rule t_rule",
    "alter table t enable row level security",
    "alter table t force row level security",
    "alter table t replica identity full",
    "alter table t owner to postgres",
    "alter table t alter column a set default 2, add column n13 int",
    "alter table lone set unlogged",
    "alter table lone inherit lone_parent",
    "alter table parted attach partition part for values from (1) to (1000)",
    "alter table parted detach partition part_old",
    "alter table gen alter column x drop expression",
    "alter table t rename column a to a2",
    "alter table t rename to t2",
    "alter table t rename constraint t_check to t_check2",
    "alter index t_a rename to t_a2",
    "alter index t_a set (fillfactor = 80)",
    "create index t_b on t (b)",
    "create unique index t_id2 on t (id)",
    "drop index t_a",
    "drop table lone",
    "drop materialized view mv",
    "truncate lone",
    "cluster t using t_a",
    "refresh materialized view mv",
    "refresh materialized view concurrently mv",
    "reindex table t",
    "reindex index t_a",
    "lock table t in share mode",
    "lock table t in row exclusive mode",
    "create trigger t_trg2 after update on t for each row execute function trg()",
    "drop trigger t_trg on t",
    "create rule t_rule2 as on update to t where old.id < 0 do also nothing",
    "create policy pol on t using (true)",
    "comment on table t is 'notes'",
    "comment on column t.a is 'notes'",
    "create statistics t_stats on a, d from t",
    "analyze t",
    "create table x (id int references u (id))",
    "select * from t",
    "insert into t (id, a, d) values (5000, 1, 1)",
    "update t set a = 2 where id = 1",
    "grant select on t to public",
  ]

  /// Refused inside a transaction block: observed waiting behind B's ACCESS EXCLUSIVE.
  static let outsideTransaction: [(statement: String, cleanup: String)] = [
    ("create index concurrently t_cc on t (b)", "drop index if exists t_cc"),
    ("reindex index concurrently t_a", ""),
    ("drop index concurrently t_id_uq", "create unique index t_id_uq on t (id)"),
    ("vacuum t", ""),
    ("vacuum full lone", ""),
  ]

  static var cluster: TestCluster { TestCluster.required }

  static func connect(_ database: String, _ name: String) async throws -> Connection {
    try await Connection.connect(
      ConnInfo(parsing: ConnectionURL(cluster.url(database: database))), applicationName: name)
  }

  static func claims(_ statement: String) throws -> [LockClaim] {
    let parsed = try SQLParser.parse(statement).get()
    return parsed.flatMap { LockAnalyzer.claims(for: $0.node) }
  }

  /// (oid, relfilenode) of `relation` as `session` sees it.
  static func identity(_ relation: String, on session: Connection) async throws -> (String, String)?
  {
    let row = try await session.execute(
      "select c.oid::text, c.relfilenode::text from pg_class c where c.oid = to_regclass($1)",
      parameters: [relation]
    ).rows.first
    guard let oid = row?[0], let node = row?[1] else { return nil }
    return (oid, node)
  }

  static func relfilenode(oid: String, on session: Connection) async throws -> String? {
    try await session.execute(
      "select relfilenode::text from pg_class where oid = $1::oid", parameters: [oid]
    ).rows
      .first?.first ?? nil
  }

  static func strongest(pid: String, oid: String, granted: Bool, on observer: Connection)
    async throws -> LockMode?
  {
    let modes = try await observer.execute(
      """
      select mode from pg_locks where locktype = 'relation' and pid = $1::int and relation = $2::oid
        and granted = $3::bool
      """, parameters: [pid, oid, granted ? "true" : "false"]
    ).rows.compactMap { $0[0].flatMap(LockMode.init(serverName:)) }
    return modes.max()
  }

  static func prepare() async throws -> String {
    let database = TestCluster.uniqueDatabaseName("oracle")
    _ = try await cluster.value("create database \(database)")
    let setup = try await connect(database, "setup")
    try await setup.execute(setup_)
    await setup.close()
    return database
  }
  private static var setup_: String { setup }

  @Test("every in-transaction rule agrees with pg_locks and relfilenode")
  func inTransactionRules() async throws {
    #expect(Self.inTransaction.count + Self.outsideTransaction.count >= 60)
    let database = try await Self.prepare()
    let a = try await Self.connect(database, "session A")
    let b = try await Self.connect(database, "session B")
    let pid = try await a.execute("select pg_backend_pid()").rows.first?.first ?? nil
    var disagreements: [String] = []
    for statement in Self.inTransaction {
      let claims = try Self.claims(statement)
      try await a.execute("begin")
      var before: [String: (String, String)] = [:]
      for claim in claims {
        guard let known = try await Self.identity(claim.relation, on: a) else {
          disagreements.append("\(statement): \(claim.relation) does not exist")
          continue
        }
        before[claim.relation] = known
      }
      let tOID = try await Self.identity("t", on: a)?.0
      do {
        try await a.execute(statement)
      } catch {
        disagreements.append("\(statement): failed on the server: \(error)")
        try await a.execute("rollback")
        continue
      }
      if claims.isEmpty, let tOID,
        let mode = try await Self.strongest(pid: pid!, oid: tOID, granted: true, on: b),
        mode >= .shareUpdateExclusive
      {
        disagreements.append("\(statement): no claim, the server took \(mode.sqlName) on t")
      }
      for claim in claims {
        guard let (oid, node) = before[claim.relation] else { continue }
        let server = try await Self.strongest(pid: pid!, oid: oid, granted: true, on: b)
        if server != claim.mode {
          disagreements.append(
            "\(statement): \(claim.relation) claimed \(claim.mode.sqlName), server \(server?.sqlName ?? "none")"
          )
        }
        let after = try await Self.relfilenode(oid: oid, on: a)
        let rewritten = after != nil && after != node
        switch claim.rewrites {
        case .yes where !rewritten:
          disagreements.append("\(statement): claimed a rewrite, relfilenode kept")
        case .no where rewritten:
          disagreements.append("\(statement): claimed no rewrite, relfilenode changed")
        default: break
        }
      }
      try await a.execute("rollback")
    }
    await a.close()
    await b.close()
    #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
  }

  @Test(
    "statements refused in a transaction ask for the claimed lock (seen waiting behind ACCESS EXCLUSIVE)"
  )
  func outsideTransactionRules() async throws {
    let database = try await Self.prepare()
    let a = try await Self.connect(database, "session A")
    let b = try await Self.connect(database, "session B")
    let pid = try await a.execute("select pg_backend_pid()").rows.first?.first ?? nil
    var disagreements: [String] = []
    for (statement, cleanup) in Self.outsideTransaction {
      let claims = try Self.claims(statement)
      #expect(claims.count == 1, "\(statement)")
      guard let claim = claims.first,
        let (oid, node) = try await Self.identity(claim.relation, on: b)
      else { continue }
      // The table the claimed relation belongs to (itself, or an index's table) is held.
      let table =
        try await b.execute(
          "select coalesce((select indrelid::regclass::text from pg_index where indexrelid = $1::oid), $1::oid::regclass::text)",
          parameters: [oid]
        ).rows.first?.first ?? nil
      // B holds the weakest lock that conflicts with the claimed one and not with ACCESS
      // SHARE (which VACUUM takes first, to look the table up): A waits for what it asks;
      // a statement that asks for less finishes without waiting, and is reported.
      let hold = claim.mode == .accessExclusive ? "access share" : "share update exclusive"
      try await b.execute("begin")
      try await b.execute("lock table \(table ?? claim.relation) in \(hold) mode")
      let run = Task { try await a.execute(statement) }
      var waited: LockMode?
      var finished = false
      while waited == nil && !finished {
        waited = try await Self.strongest(pid: pid!, oid: oid, granted: false, on: b)
        if waited == nil {
          // A waits on the table when the claim is on an index: read that too.
          let tableOID =
            try await b.execute("select to_regclass($1)::oid::text", parameters: [table ?? ""]).rows
            .first?
            .first ?? nil
          if let tableOID, tableOID != oid {
            waited = try await Self.strongest(pid: pid!, oid: tableOID, granted: false, on: b)
          }
        }
        // Finished: idle after this statement (not still idle before sending it).
        let state =
          try await b.execute(
            "select state from pg_stat_activity where pid = $1::int and query = $2",
            parameters: [pid!, statement]
          ).rows.first?.first ?? nil
        finished = waited == nil && state == "idle"
      }
      try await b.execute("rollback")
      _ = try await run.value
      if waited != claim.mode {
        disagreements.append(
          "\(statement): claimed \(claim.mode.sqlName), waited for \(waited?.sqlName ?? "none")")
      }
      let after = try await Self.relfilenode(oid: oid, on: b)
      let rewritten = after != nil && after != node
      if (claim.rewrites == .yes) != rewritten, claim.rewrites != .unlessBinaryCoercible {
        disagreements.append(
          "\(statement): rewrites claimed \(claim.rewrites), relfilenode changed: \(rewritten)")
      }
      if !cleanup.isEmpty { try await a.execute(cleanup) }
    }
    await a.close()
    await b.close()
    #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
  }
}
