using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Watchtower.Data;

namespace Watchtower.Monitoring.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEmailSender"/> from <c>Watchtower:Email</c>, validated at start-up:
    /// SMTP when a host is set, else .eml files in <c>&lt;data directory&gt;/mail</c>.
    /// </summary>
    public static IHostApplicationBuilder AddWatchtowerEmail(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var contentRoot = builder.Environment.ContentRootPath;
        var configuration = builder.Configuration;
        builder.Services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.SectionName))
            .PostConfigure(options => options.PickupDirectory = string.IsNullOrWhiteSpace(options.PickupDirectory)
                ? Path.Combine(DatabaseSettings.ResolveDataDirectory(configuration, contentRoot), "mail")
                : Path.GetFullPath(options.PickupDirectory, contentRoot))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<SmtpEmailSender>();
        builder.Services.TryAddSingleton<PickupDirectoryEmailSender>();
        builder.Services.TryAddSingleton<IEmailSender>(services =>
            services.GetRequiredService<IOptions<EmailOptions>>().Value.UsesSmtp
                ? services.GetRequiredService<SmtpEmailSender>()
                : services.GetRequiredService<PickupDirectoryEmailSender>());
        return builder;
    }
}
