namespace Watchtower.Data;

public enum DatabaseProvider
{
    /// <summary>The embedded default: one file, no server.</summary>
    Sqlite,
    /// <summary>Production: chosen when ConnectionStrings:Watchtower is set.</summary>
    Postgres,
}
