using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntelliFace.Vault.Storage;

/// <summary>The database engines the vault runs on. The SQL is shared; only the column types and connection set-up differ.</summary>
internal enum SqlEngine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// One database (a SQLite file or a PostgreSQL database) that the vault's stores run their SQL on. Every store
/// writes SQL that both engines accept: <c>@name</c> parameters, 64-bit integers for times (Unix milliseconds),
/// <c>ON CONFLICT</c> upserts. DDL uses <c>{int}</c>, <c>{blob}</c> and <c>{strict}</c>, filled in per engine.
/// Thread-safe: a pooled connection per call.
/// </summary>
internal sealed class SqlDatabase : IDisposable
{
    public const int BusyTimeoutSeconds = 30;

    private readonly Func<DbConnection> _connect;
    private readonly Action? _release;

    private SqlDatabase(SqlEngine engine, string description, Func<DbConnection> connect, Action? release)
    {
        Engine = engine;
        Description = description;
        _connect = connect;
        _release = release;
    }

    public SqlEngine Engine { get; }

    /// <summary>Where the data is (a file path, or a server and database name), for messages; never a password.</summary>
    public string Description { get; }

    /// <summary>Opens (creating when missing, owner-only) a SQLite file in WAL mode.</summary>
    public static SqlDatabase OpenSqliteFile(string databaseFile)
    {
        // Created by us first so the file (and the -wal/-shm files SQLite derives from it) is owner-only:
        // it holds no plaintext biometrics, but tenant and subject ids are personal data.
        if (!File.Exists(databaseFile) && !OperatingSystem.IsWindows())
        {
            using var _ = new FileStream(databaseFile, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
        var database = new SqlDatabase(SqlEngine.Sqlite, databaseFile, () =>
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            // Deleted records are overwritten with zeros instead of lingering in free pages of the file.
            // NORMAL is durable across a killed process in WAL mode (only a power loss may drop the newest commits)
            // and saves an fsync per commit.
            command.CommandText = "PRAGMA secure_delete = ON; PRAGMA synchronous = NORMAL";
            command.ExecuteNonQuery();
            return connection;
        }, () =>
        {
            // Folds the WAL back into the database and truncates it, so deleted records do not linger there.
            try
            {
                using var connection = new SqliteConnection(connectionString);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                command.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Another connection (possibly another process) is busy; its checkpoint will do the same.
            }
            using var pooled = new SqliteConnection(connectionString);
            SqliteConnection.ClearPool(pooled);
        });
        try
        {
            database.Read(session => session.Execute("PRAGMA journal_mode = WAL"));
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>A PostgreSQL database, through a pooled data source.</summary>
    /// <exception cref="FaceException"><c>store_unavailable</c> when the connection string is malformed or the server cannot be reached.</exception>
    public static SqlDatabase OpenPostgres(string connectionString)
    {
        var description = DescribePostgres(connectionString);
        var source = NpgsqlDataSource.Create(connectionString);
        var database = new SqlDatabase(SqlEngine.Postgres, description, source.OpenConnection, source.Dispose);
        try
        {
            database.Read(session => session.Scalar("SELECT 1"));
            return database;
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            database.Dispose();
            throw new FaceException(FaceErrorCode.StoreUnavailable, $"The PostgreSQL server at {description} cannot be used: {e.Message}", e);
        }
    }

    /// <summary>Server, port, database and schema of a PostgreSQL connection string: never its password.</summary>
    /// <exception cref="FaceException"><c>store_unavailable</c> when the connection string is malformed.</exception>
    public static string DescribePostgres(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}{(builder.SearchPath is { Length: > 0 } path ? $" (schema {path})" : "")}";
        }
        catch (ArgumentException e)
        {
            throw new FaceException(FaceErrorCode.StoreUnavailable, $"The PostgreSQL connection string is malformed: {e.Message}", e);
        }
    }

    /// <summary>Fills the engine's types into DDL: <c>{int}</c> 64-bit integer, <c>{blob}</c> bytes, <c>{strict}</c> SQLite's type checking.</summary>
    public string Ddl(string sql) => Engine switch
    {
        SqlEngine.Sqlite => sql.Replace("{int}", "INTEGER").Replace("{blob}", "BLOB").Replace("{strict}", " STRICT"),
        // Ids compare and sort byte by byte on both engines, whatever the server's locale.
        _ => sql.Replace("TEXT", "TEXT COLLATE \"C\"").Replace("{int}", "BIGINT").Replace("{blob}", "BYTEA").Replace("{strict}", ""),
    };

    /// <summary>Runs <paramref name="work"/> on one connection without a transaction.</summary>
    public T Read<T>(Func<SqlSession, T> work)
    {
        using var connection = _connect();
        return work(new SqlSession(connection, null));
    }

    public void Read(Action<SqlSession> work) => Read(session => { work(session); return 0; });

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, committed when it returns. SQLite takes the write lock
    /// up front (BEGIN IMMEDIATE), so writers queue instead of failing; PostgreSQL runs at read committed and
    /// stores serialise where they must by updating a row first.
    /// </summary>
    public T Write<T>(Func<SqlSession, T> work)
    {
        using var connection = _connect();
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        var result = work(new SqlSession(connection, transaction));
        transaction.Commit();
        return result;
    }

    public void Write(Action<SqlSession> work) => Write(session => { work(session); return 0; });

    /// <summary>Creates the tables of one store when missing and records its schema version; refuses a newer one.</summary>
    public void EnsureSchema(string versionTable, int version, string ddl, string what)
    {
        Write(session =>
        {
            session.Execute(Ddl($"CREATE TABLE IF NOT EXISTS {versionTable} (version {{int}} NOT NULL){{strict}}"));
            var found = session.Scalar($"SELECT MAX(version) FROM {versionTable}") is { } value and not DBNull ? Convert.ToInt32(value) : 0;
            if (found > version)
            {
                throw new FaceException(FaceErrorCode.StoreUnavailable,
                    $"The {what} at {Description} has schema version {found}; this IntelliFace reads version {version}. Use a newer release.");
            }
            foreach (var statement in Ddl(ddl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                session.Execute(statement);
            if (found < version) session.Execute($"INSERT INTO {versionTable} (version) VALUES (@version)", ("@version", version));
        });
    }

    public void Dispose() => _release?.Invoke();
}

/// <summary>One connection (and transaction, when writing) of a <see cref="SqlDatabase"/>.</summary>
internal sealed class SqlSession(DbConnection connection, DbTransaction? transaction)
{
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    public List<T> Query<T>(string sql, Func<DbDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    private DbCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}

/// <summary>Times as stored: Unix milliseconds, the one representation both engines compare and order alike.</summary>
internal static class StoredTime
{
    public static long Of(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset From(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static DateTimeOffset From(DbDataReader reader, int ordinal) => From(reader.GetInt64(ordinal));

    public static DateTimeOffset? FromNullable(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : From(reader.GetInt64(ordinal));
}
