# Remove Mot Cua Counter's app installed by install.ps1; the data, the key, counter.toml and the group stay.
#   uninstall.ps1 -AllUsers [-Target DIR]     (as an administrator; uninstall.cmd)
#   uninstall.ps1 [-Target DIR]               (uninstall.cmd /user: the install for this account)
# This file stays ASCII: Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page.
param([switch]$AllUsers, [string]$Target = "")
$ErrorActionPreference = "Stop"
$ProfileName = "Mot Cua Counter"

function Fail([string]$Message) {
    Write-Host "uninstall.ps1: $Message" -ForegroundColor Red
    exit 1
}
trap { Fail $_.Exception.Message }

if (-not $Target) {
    $Target = if ($AllUsers) { Join-Path $env:ProgramFiles "MotCuaCounter" } else { Join-Path $env:LOCALAPPDATA "Programs\MotCuaCounter" }
}
$Target = [IO.Path]::GetFullPath($Target)
if ($Target.Length -gt 3) { $Target = $Target.TrimEnd("\") }
$VersionFile = Join-Path $Target "VERSION"
$Venvs = @(Get-ChildItem -LiteralPath $Target -Directory -Filter "venv*" -ErrorAction SilentlyContinue)
if (-not (Test-Path -LiteralPath $VersionFile) -and $Venvs.Count -eq 0) {
    Fail "$Target holds no Mot Cua Counter install (no VERSION, no venv); nothing was removed."
}
$Version = if (Test-Path -LiteralPath $VersionFile) { ([IO.File]::ReadAllText($VersionFile)).Trim() } else { "(old)" }
foreach ($venv in $Venvs) { Remove-Item -LiteralPath $venv.FullName -Recurse -Force }
foreach ($name in @("counter.cmd", "counter-terminal.cmd", "VERSION", "windows-terminal-profile.json")) {
    $path = Join-Path $Target $name
    if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Force }
}
$base = if ($AllUsers) { $env:ProgramData } else { $env:LOCALAPPDATA }
$fragments = Join-Path $base "Microsoft\Windows Terminal\Fragments\MotCuaCounter"
if (Test-Path -LiteralPath $fragments) { Remove-Item -LiteralPath $fragments -Recurse -Force }
$places = if ($AllUsers) { @("CommonDesktopDirectory", "CommonPrograms") } else { @("Desktop", "Programs") }
foreach ($place in $places) {
    $link = Join-Path ([Environment]::GetFolderPath($place)) "$ProfileName.lnk"
    if (Test-Path -LiteralPath $link) { Remove-Item -LiteralPath $link -Force }
}
$kept = if ($AllUsers) { "the data and the key in $(Join-Path $env:ProgramData 'MotCuaCounter'), $(Join-Path $Target 'counter.toml') and the local group" } else { "the data and the key" }
Write-Host "Removed Mot Cua Counter $Version from $Target; kept: $kept."
