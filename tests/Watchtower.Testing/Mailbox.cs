using System.Text.RegularExpressions;
using MimeKit;

namespace Watchtower.Testing;

/// <summary>
/// A folder of delivered messages as files — the app's .eml pickup folder, or an Exim maildir —
/// read with MimeKit. Tests wait for the next message to an address; each is handed out once.
/// </summary>
public sealed partial class Mailbox(string folder)
{
    private readonly HashSet<string> taken = [];

    public string Folder => folder;

    /// <summary>Waits until a message to <paramref name="to"/> (and with <paramref name="subjectContains"/>) arrives that no earlier call returned.</summary>
    public async Task<MimeMessage> WaitForAsync(string to, string? subjectContains = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            foreach (var file in Files())
            {
                lock (taken)
                {
                    if (taken.Contains(file))
                    {
                        continue;
                    }
                }

                var message = await MimeMessage.LoadAsync(file);
                var recipient = message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase));
                if (recipient && (subjectContains is null || (message.Subject ?? "").Contains(subjectContains, StringComparison.OrdinalIgnoreCase)))
                {
                    lock (taken)
                    {
                        if (taken.Add(file))
                        {
                            return message;
                        }
                    }
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No message to {to}{(subjectContains is null ? "" : $" about '{subjectContains}'")} in {folder}; it holds: "
                    + string.Join(" | ", Files().Select(f => Path.GetFileName(f))));
            }

            await Task.Delay(50);
        }
    }

    /// <summary>How many messages to <paramref name="to"/> whose subject holds <paramref name="subjectContains"/> are there now.</summary>
    public async Task<int> CountAsync(string to, string subjectContains)
    {
        var count = 0;
        foreach (var file in Files())
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase))
                && (message.Subject ?? "").Contains(subjectContains, StringComparison.OrdinalIgnoreCase))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>How many messages to <paramref name="to"/> are there now (handed out or not).</summary>
    public async Task<int> CountAsync(string to)
    {
        var count = 0;
        foreach (var file in Files())
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The path and query of the first link in the message (plain-text part) whose path starts with <paramref name="path"/>.</summary>
    public static string Link(MimeMessage message, string path)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.TextBody ?? "";
        foreach (Match match in UrlPattern().Matches(text))
        {
            var uri = new Uri(match.Value);
            if (uri.AbsolutePath.StartsWith(path, StringComparison.OrdinalIgnoreCase))
            {
                return uri.PathAndQuery;
            }
        }

        throw new InvalidOperationException($"No link to {path} in: {text}");
    }

    private List<string> Files()
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        // Pickup folder: *.eml (written whole, then renamed). Maildir: new/ and cur/.
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".eml", StringComparison.Ordinal) || Path.GetFileName(Path.GetDirectoryName(f)) is "new" or "cur")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex UrlPattern();
}
