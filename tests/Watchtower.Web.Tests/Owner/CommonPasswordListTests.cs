using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Tests.Owner;

public sealed class CommonPasswordListTests
{
    [Fact]
    public void The_embedded_list_holds_the_100000_most_common_passwords_compared_without_case()
    {
        // 100,000 lines; 96,518 distinct once case is ignored (see common-passwords.NOTICE.md).
        Assert.Equal(96_518, CommonPasswordValidator.Count);
        Assert.True(CommonPasswordValidator.IsCommon("123456"));
        Assert.True(CommonPasswordValidator.IsCommon("PassWord123"));
        Assert.True(CommonPasswordValidator.IsCommon("1q2w3e4r5t"));
        Assert.False(CommonPasswordValidator.IsCommon("vq7-kettle"));
        Assert.False(CommonPasswordValidator.IsCommon(OwnerClientPassword));
    }

    private const string OwnerClientPassword = Watchtower.Testing.OwnerClient.DefaultPassword;
}
