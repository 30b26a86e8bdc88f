using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Watchtower.Data.Entities;

namespace Watchtower.Data.Configurations;

internal sealed class ResultMessageConfiguration : IEntityTypeConfiguration<ResultMessage>
{
    public void Configure(EntityTypeBuilder<ResultMessage> builder)
    {
        builder.ToTable("result_messages");
        builder.Property(m => m.Text).HasMaxLength(Check.MessageMaxLength);

        // Keyed by the text itself rather than a hash of it: both stores can then find and insert
        // a message in one statement (INSERT … ON CONFLICT), and the migration can dedupe the old
        // results' messages in SQL (SQLite has no hash function). 500 characters fit a btree entry.
        builder.HasIndex(m => m.Text).IsUnique();
    }
}
