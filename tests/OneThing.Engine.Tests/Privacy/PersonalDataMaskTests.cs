namespace OneThing.Engine.Tests;

public class PersonalDataMaskTests
{
    [Theory]
    [InlineData("330203199001011234", "3302**********1234")]
    [InlineData("11010519491231002X", "1101**********002X")]
    [InlineData("12345678", "********")]
    [InlineData("", "")]
    public void Id_numbers_keep_only_the_region_and_the_last_four(string value, string expected)
    {
        Assert.Equal(expected, PersonalDataMask.IdNumber(value));
    }

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("1381234", "*******")]
    public void Mobile_numbers_keep_the_prefix_and_the_last_four(string value, string expected)
    {
        Assert.Equal(expected, PersonalDataMask.Mobile(value));
    }

    [Theory]
    [InlineData("zhang.san@jiangbei.gov.cn", "z***@jiangbei.gov.cn")]
    [InlineData(" a@b.cn ", "a***@b.cn")]
    [InlineData("@b.cn", "*****")]
    [InlineData("not-an-address", "**************")]
    public void E_mail_addresses_keep_the_first_character_and_the_domain(string value, string expected)
    {
        Assert.Equal(expected, PersonalDataMask.Email(value));
    }

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("John Smith", "J*********")]
    [InlineData("王", "*")]
    [InlineData("𠀀明", "𠀀*")]
    [InlineData("", "")]
    public void Names_keep_only_the_first_character(string value, string expected)
    {
        Assert.Equal(expected, PersonalDataMask.Name(value));
    }
}
