import CruddurTestSupport
import Foundation
import Testing

/// A child cruddur starts gets no value cruddur masks unless its task passes it: a real
/// plugin prints its whole request and environment to files, and a shell step its whole
/// environment, and no secret from `.env`, `vars:`, an environment's `vars`, `secrets:` or
/// `--set` is in them.
@Suite struct ChildSecretsTests {
  static let secrets = [
    "hunter2-dotenv", "tok-vars-1234", "key-set-4567", "stage-secret-55", "pw-url-7890", "proc-token-321",
  ]

  static func project() throws -> TemporaryProject {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      dotenv: [.env]
      secrets: [DEPLOY_KEY]
      vars: { API_TOKEN: tok-vars-1234, GREETING: hello-there }
      environments:
        local:
          default: true
          url: "postgresql://postgres:pw-url-7890@127.0.0.1:1/app"
          vars: { STAGE_SECRET: stage-secret-55 }
      plugins: { dump: plugins/dump }
      tasks:
        plug: { uses: dump }
        plug:token: { uses: dump, requires: [API_TOKEN] }
        sh: { shell: env > shell-env.txt }
        sh:token: { shell: env > shell-env.txt, env: { DEPLOY_KEY: "${DEPLOY_KEY}" } }

      """,
      ".env": "DB_PASSWORD=hunter2-dotenv\n",
      // Prints everything it is given, as a hostile plugin would, then answers.
      "plugins/dump": """
      #!/bin/sh
      request=$(cat)
      here=$(dirname "$0")
      printf '%s\\n' "$request" >> "$here/requests.txt"
      env >> "$here/env.txt"
      case "$request" in
        *'"request":"describe"'*) echo '{"summary":"dump"}' ;;
        *) echo '{"ok":true}' ;;
      esac

      """,
    ])
    chmod(project.path + "/plugins/dump", 0o755)
    return project
  }

  static let processEnvironment = ["PROC_TOKEN": "proc-token-321"]
  static let arguments = ["--set", "DEPLOY_KEY=key-set-4567"]

  func read(_ project: TemporaryProject, _ name: String) throws -> String {
    let path = project.path + "/" + name
    defer { unlink(path) }
    return try String(contentsOfFile: path, encoding: .utf8)
  }

  @Test("a plugin's describe and run requests and its environment hold no masked value; a task's requires passes one")
  func plugin() async throws {
    let project = try Self.project()
    defer { project.remove() }
    let plan = try await project.run(["plan", "plug"] + Self.arguments, environment: Self.processEnvironment)
    #expect(plan.status == 0, "\(plan)")
    var request = try read(project, "plugins/requests.txt")
    var environment = try read(project, "plugins/env.txt")
    #expect(request.contains("\"GREETING\":\"hello-there\""), "\(request)")
    for secret in Self.secrets {
      #expect(!request.contains(secret), "describe request: \(secret)")
      #expect(!environment.contains(secret), "describe environment: \(secret)")
    }

    let run = try await project.run(["plug"] + Self.arguments, environment: Self.processEnvironment)
    #expect(run.status == 0, "\(run)")
    request = try read(project, "plugins/requests.txt")
    environment = try read(project, "plugins/env.txt")
    #expect(request.contains("\"request\":\"run\""), "\(request)")
    // `run` is given the environment's URL with its password, to connect; nothing else.
    let withoutURL = request.replacingOccurrences(of: "postgresql://postgres:pw-url-7890@127.0.0.1:1/app", with: "<url>")
    for secret in Self.secrets {
      #expect(!withoutURL.contains(secret), "run request: \(secret)")
      #expect(!environment.contains(secret), "run environment: \(secret)")
    }

    let token = try await project.run(["plug:token"] + Self.arguments, environment: Self.processEnvironment)
    #expect(token.status == 0, "\(token)")
    request = try read(project, "plugins/requests.txt")
    #expect(request.contains("\"API_TOKEN\":\"tok-vars-1234\""), "\(request)")
    #expect(!request.contains("hunter2-dotenv"))
  }

  @Test("a shell step's environment holds no masked value from the project unless its env: passes it")
  func shell() async throws {
    let project = try Self.project()
    defer { project.remove() }
    let run = try await project.run(["sh"] + Self.arguments, environment: Self.processEnvironment)
    #expect(run.status == 0, "\(run)")
    let environment = try read(project, "shell-env.txt")
    #expect(environment.contains("GREETING=hello-there\n"), "\(environment)")
    // The user's own environment is inherited as by any child; DATABASE_URL is the step's
    // connection, documented.
    #expect(environment.contains("PROC_TOKEN=proc-token-321\n"))
    let withoutURL = environment.replacingOccurrences(of: "postgresql://postgres:pw-url-7890@127.0.0.1:1/app", with: "<url>")
    for secret in Self.secrets where secret != "proc-token-321" {
      #expect(!withoutURL.contains(secret), "shell environment: \(secret)")
    }
    let passed = try await project.run(["sh:token"] + Self.arguments, environment: Self.processEnvironment)
    #expect(passed.status == 0, "\(passed)")
    let explicit = try read(project, "shell-env.txt")
    #expect(explicit.contains("DEPLOY_KEY=key-set-4567\n"))
    #expect(!explicit.contains("hunter2-dotenv"))
  }
}
