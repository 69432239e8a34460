import ArgumentParser
import ChatAPI
import DotEnv
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging

/// `chat-api`: the chat service gonogo ships. Configuration comes from the environment and a `.env` file.
@main
struct ChatAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-api",
        abstract: "The chat service of the Sprint 5 checklist: chat, history, admin text-to-SQL.",
        discussion: """
            Configuration comes from the environment and a .env file (the environment wins): HOST, PORT, \
            DATABASE_URL (sqlite:PATH, the default sqlite:data/messages.db), LOG_LEVEL, LOG_FORMAT and the \
            others of docs/chat-api.md.

            Examples:
              chat-api migrate
              printf 'secret-password' | chat-api user add --username alice --role admin --password-stdin
              PORT=8080 chat-api serve
              chat-api backup --to /var/backups/chat-api/messages-$(date +%F).db
            """,
        version: ChatService.version,
        subcommands: [Serve.self, Migrate.self, UserCommand.self, Seed.self, Backup.self],
        defaultSubcommand: Serve.self
    )
}

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("env-file"), help: "A .env file to read (the environment wins over it).")
    var envFile = ".env"

    /// The configuration, or exit code 2 with the file, line or variable that is wrong.
    func load() throws -> ChatConfiguration {
        do {
            return try ChatConfiguration(
                environment: ProcessInfo.processInfo.environment, dotenv: DotEnv.load(path: envFile))
        } catch let error as ConfigurationError {
            fail("configuration: \(error)")
        } catch let error as InputFileError {
            fail("configuration: \(ConfigurationError(error))")
        }
    }

    func logger(_ configuration: ChatConfiguration) -> Logger {
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        var logger: Logger
        if configuration.logFormat == "json" {
            logger = Logger(label: "chat-api") { JSONLogHandler(label: $0) }
        } else {
            logger = Logger(label: "chat-api") { StreamLogHandler.standardError(label: $0) }
        }
        logger.logLevel = level
        return logger
    }

    func openStore(_ configuration: ChatConfiguration, logger: Logger) -> any ChatStore {
        do {
            return try ChatStores.open(configuration, logger: logger)
        } catch let error as ConfigurationError {
            fail("configuration: \(error)")
        } catch {
            if case .sqlite(let path) = configuration.database {
                fail("cannot open the SQLite database \(path): \(error)")
            }
            fail("cannot open the database: \(error)")
        }
    }

    /// Runs `body` with the configured store open (and PostgreSQL's pool running); a database that cannot be reached
    /// or migrated ends the command with exit code 1 and the reason, never the URL (it may hold a password).
    func withStore<T: Sendable>(
        _ configuration: ChatConfiguration, logger: Logger, _ body: @Sendable (any ChatStore) async throws -> T
    ) async throws -> T {
        let store = openStore(configuration, logger: logger)
        do {
            return try await ChatStores.withStore(store, body)
        } catch let error as StoreError {
            fail("\(error)")
        } catch {
            FileHandle.standardError.write(Data("chat-api: error: database: \(StoreError.reason(error))\n".utf8))
            Foundation.exit(1)
        }
    }
}

/// Prints `chat-api: error: …` and exits 2 (an input that cannot be used).
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("chat-api: error: \(message)\n".utf8))
    Foundation.exit(2)
}

extension ChatAPICommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the API (the default command). Applies pending migrations first.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let configuration = try options.load()
            let logger = options.logger(configuration)
            let applied = try await options.withStore(configuration, logger: logger) { try await $0.migrate() }
            // The serving store's pool runs in the application's service group (a pool runs once).
            let store = options.openStore(configuration, logger: logger)
            if !applied.isEmpty { logger.info("applied migrations", metadata: ["versions": "\(applied)"]) }
            let scheme = configuration.tlsEnabled ? "https" : "http"
            let app: any ApplicationProtocol
            do {
                app = try ChatService.buildApplication(
                    ChatServices(configuration: configuration, store: store, logger: logger), logger: logger,
                    onRunning: { port in
                        // One line on stdout that scripts and tests wait for.
                        FileHandle.standardOutput.write(
                            Data("chat-api listening on \(scheme)://\(configuration.host):\(port)\n".utf8))
                    },
                    onRedirecting: { port in
                        FileHandle.standardOutput.write(
                            Data("chat-api redirecting http://\(configuration.host):\(port) to https\n".utf8))
                    })
            } catch let error as ConfigurationError {
                fail(error.description)
            }
            try await app.runService()
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or upgrade the schema, then exit.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let configuration = try options.load()
            let (applied, all) = try await options.withStore(configuration, logger: options.logger(configuration)) {
                store in (try await store.migrate(), try await store.appliedMigrations())
            }
            print(
                applied.isEmpty
                    ? "schema is up to date (migrations \(all.map(String.init).joined(separator: ", ")))"
                    : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "SQLite: copy the live database with the online backup API, check the copy, print its rows.",
            discussion: """
                The service keeps running. The copy is checked (PRAGMA quick_check) and its rows counted per table; \
                with --inspect FILE, an existing backup is checked the same way. PostgreSQL is backed up with \
                pg_dump (deploy/chat-api-backup does both).
                """)

        @OptionGroup var options: CommonOptions
        @Option(help: ArgumentHelp("Where the copy goes (never overwritten).", valueName: "file")) var to: String?
        @Option(help: ArgumentHelp("Check an existing backup instead.", valueName: "file")) var inspect: String?

        func validate() throws {
            guard (to == nil) != (inspect == nil) else { throw ValidationError("give --to FILE or --inspect FILE") }
        }

        func run() async throws {
            let counts: [(table: String, rows: Int)]
            do {
                if let inspect {
                    counts = try SQLiteStore.inspect(inspect)
                } else {
                    let configuration = try options.load()
                    guard case .sqlite(let path) = configuration.database else {
                        fail("chat-api backup copies SQLite databases; back PostgreSQL up with pg_dump")
                    }
                    // Opening a path that is not there would make an empty database and "back it up".
                    guard FileManager.default.fileExists(atPath: path) else {
                        fail("backup: \(path) does not exist (DATABASE_URL names the live database)")
                    }
                    counts = try SQLiteStore(path: path).backup(to: to!)
                }
            } catch {
                fail("backup: \(StoreError.reason(error))")
            }
            print("\(to ?? inspect!): ok; " + counts.map { "\($0.table) \($0.rows)" }.joined(separator: ", "))
        }
    }

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load demo data: sessions of alternating user and assistant messages for the user 'demo'.")

        @OptionGroup var options: CommonOptions
        @Option(help: "How many sessions.") var sessions = 10
        @Option(help: "Messages per session.") var messages = 10

        func validate() throws {
            guard (1...100_000).contains(sessions), (1...100_000).contains(messages) else {
                throw ValidationError("--sessions and --messages must be from 1 to 100000")
            }
        }

        func run() async throws {
            let configuration = try options.load()
            let (sessions, messages) = (sessions, messages)
            // The demo user's password is random and never shown: it exists to own the demo sessions.
            let hash = Bcrypt.hash(UUID().uuidString, cost: 10)
            let written = try await options.withStore(configuration, logger: options.logger(configuration)) { store in
                _ = try await store.migrate()
                return try await store.seed(
                    username: "demo", passwordHash: hash, sessions: sessions, messages: messages)
            }
            print("test data loaded: \(sessions) sessions, \(written) messages")
        }
    }

    struct UserCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: "Manage users.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a user; the password is read from standard input, never from the command line.")

            @OptionGroup var options: CommonOptions
            @Option(help: "The user's login name.") var username: String
            @Option(help: "user or admin.") var role: String = "user"
            @Flag(help: "Read the password from standard input (required).") var passwordStdin = false

            func validate() throws {
                guard passwordStdin else {
                    throw ValidationError("pass --password-stdin and the password on standard input")
                }
                guard User.Role(rawValue: role) != nil else { throw ValidationError("--role must be user or admin") }
                guard !username.isEmpty, username.count <= 64 else {
                    throw ValidationError("--username must be 1 to 64 characters")
                }
            }

            func run() async throws {
                let configuration = try options.load()
                let input = FileHandle.standardInput.readDataToEndOfFile()
                var password = String(decoding: input, as: UTF8.self)
                while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
                guard password.count >= 8 else { fail("the password must have at least 8 characters") }
                let (username, role) = (username, User.Role(rawValue: role)!)
                let hash = Bcrypt.hash(password, cost: 10)
                let user = try await options.withStore(configuration, logger: options.logger(configuration)) { store in
                    _ = try await store.migrate()
                    return try await store.createUser(username: username, passwordHash: hash, role: role)
                }
                print("added \(user.role.rawValue) \(user.username) (id \(user.id))")
            }
        }
    }
}
