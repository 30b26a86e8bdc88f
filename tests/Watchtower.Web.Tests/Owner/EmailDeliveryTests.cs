using System.Net;
using MimeKit;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Web.Tests.Owner;

/// <summary>The app's email over SMTP to a real Exim on 127.0.0.1, read back from Exim's maildir.</summary>
public sealed class EmailDeliveryTests
{
    [Fact]
    public async Task The_confirmation_email_goes_through_a_real_smtp_server_and_its_link_works()
    {
        var cancel = TestContext.Current.CancellationToken;
        var (exim, port, maildir) = await EximMailServer.StartAsync();
        await using var server = exim;
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?>
            {
                ["Watchtower:Email:Host"] = "127.0.0.1",
                ["Watchtower:Email:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Watchtower:Email:Security"] = "None",
                ["Watchtower:Email:FromAddress"] = "status@watchtower.test",
                ["Watchtower:Email:FromName"] = "Acme Status",
            },
        }, cancel);
        using var owner = new OwnerClient(app);
        var email = OwnerClient.NewEmail();

        var signUp = await owner.PostFormAsync("/Account/Register", new()
        {
            ["Input.Email"] = email, ["Input.Password"] = OwnerClient.DefaultPassword, ["Input.ConfirmPassword"] = OwnerClient.DefaultPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, signUp.Status);

        var message = await maildir.WaitForAsync(email, "Confirm your email", TimeSpan.FromSeconds(30));
        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal("status@watchtower.test", from.Address);
        Assert.Equal("Acme Status", from.Name);
        Assert.Contains(message.Headers, h => h.Id == HeaderId.Received && h.Value.Contains("127.0.0.1", StringComparison.Ordinal)); // Exim's own
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(part => part.ContentType.MimeType));
        Assert.Contains("<a href=", message.HtmlBody, StringComparison.Ordinal);

        var confirmed = await owner.GetAsync(Mailbox.Link(message, "/Account/ConfirmEmail"));
        Assert.Equal("confirmed", confirmed.Document.QuerySelector("#confirm-email")!.GetAttribute("data-outcome"));

        // With an SMTP host configured nothing lands in the pickup folder.
        Assert.Equal(0, await app.Mailbox.CountAsync(email));
    }
}
