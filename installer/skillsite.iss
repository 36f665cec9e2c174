; Inno Setup script for SkillSite. Build the PyInstaller bundle first, then:
;   iscc /DAppVersion=0.1.0 installer\skillsite.iss
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; A fixed AppId: upgrades replace the same installation instead of adding a second one.
AppId={{6C1B4E0A-5B7E-4E0F-9A8E-3D2F7C6B1A55}
AppName=SkillSite 职业技能等级认定考点管理
AppVersion={#AppVersion}
AppPublisher=SkillSite
DefaultDirName={autopf}\SkillSite
DefaultGroupName=SkillSite
OutputBaseFilename=SkillSite-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern
UninstallDisplayIcon={app}\SkillSite.exe

[Languages]
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[InstallDelete]
; Remove the previous bundle's files so no stale module survives an upgrade (user data lives elsewhere).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\SkillSite-{#AppVersion}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\SkillSite"; Filename: "{app}\SkillSite.exe"
Name: "{autodesktop}\SkillSite"; Filename: "{app}\SkillSite.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "创建桌面快捷方式"; Flags: unchecked

[Code]
// On uninstall, ask before deleting the data directory: it holds the assessment records that
// must be kept for the retention period (paper 3 years, electronic 5 years).
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: string;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\SkillSite');
    if DirExists(DataDir) then
      if MsgBox('是否同时删除数据目录 ' + DataDir + ' ？' + #13#10 +
                '其中保存着认定数据与审计记录，按规定须保存至保管期满。一般请选择“否”。',
                mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(DataDir, True, True, True);
  end;
end;
