import CruddurCore
import CruddurPostgres

/// Whether a run's environment is a fleet; fleet options on one database are an error.
enum FleetSelection {
  static func fleet(
    _ project: Project, _ environmentOptions: EnvironmentOptions, _ options: FleetOptions,
    global: GlobalOptions
  ) throws -> EnvironmentSpec? {
    let spec: EnvironmentSpec
    do throws(ConfigError) {
      spec = try EnvironmentResolver(project: project).select(
        explicit: environmentOptions.environment, processEnvironment: global.processEnvironment)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    if spec.fleet != nil { return spec }
    if let option = options.firstGiven {
      throw FleetError(.fleetOptionWithoutFleet(option: option, environment: spec.name))
    }
    return nil
  }
}
