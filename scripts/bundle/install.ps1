# Offline install or upgrade of Mot Cua Counter from this bundle (README.txt, in Vietnamese, says more).
#   install.ps1 -AllUsers [-Target DIR] [-DataDir DIR] [-Group NAME]      (as an administrator; install.cmd)
#     the app in %ProgramFiles%\MotCuaCounter (only Administrators may change it), the data in
#     %PROGRAMDATA%\MotCuaCounter for Administrators, SYSTEM and the local group NAME (default MotCua, created
#     here: add each clerk's account to it), the store's key sealed with DPAPI for this machine inside it,
#     shortcuts and a Windows Terminal profile for every account.
#   install.ps1 [-Target DIR]                                            (install.cmd /user)
#     for this account only, in %LOCALAPPDATA%\Programs\MotCuaCounter by default.
# A newer bundle over an older install upgrades it ("0.1.0 -> 0.2.0"; the store migrates on first start);
# an older bundle over a newer install is refused. uninstall.ps1 removes the app and keeps data and key.
# This file stays ASCII: Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page.
param([switch]$AllUsers, [string]$Target = "", [string]$DataDir = "", [string]$Group = "MotCua")
$ErrorActionPreference = "Stop"
$Here = Split-Path -Parent $MyInvocation.MyCommand.Path
$Arrow = [char]0x2192
$ProfileName = "Mot Cua Counter"

function Fail([string]$Message) {
    Write-Host "install.ps1: $Message" -ForegroundColor Red
    exit 1
}
trap { Fail $_.Exception.Message }

function Step([int]$Number, [string]$Text) { Write-Host "[$Number/6] $Text..." }

function Get-FullPath([string]$Path) {
    $full = [IO.Path]::GetFullPath($Path)
    if ($full.Length -gt 3) { $full = $full.TrimEnd("\") }
    return $full
}

function Test-Bundle([string]$Folder) {
    $wheels = Join-Path $Folder "wheels"
    if (-not (Test-Path -LiteralPath $wheels -PathType Container)) {
        Fail "the folder wheels is missing beside install.ps1: unpack the whole zip (Extract All), then run install.cmd from the unpacked folder."
    }
    $sums = Join-Path $Folder "SHA256SUMS"
    if (Test-Path -LiteralPath $sums) {
        $bad = @()
        foreach ($line in [IO.File]::ReadAllLines($sums)) {
            if ($line -notmatch "^([0-9a-f]{64})  (.+)$") { continue }
            $file = Join-Path $Folder ($Matches[2] -replace "/", "\")
            $expected = $Matches[1]
            if (-not (Test-Path -LiteralPath $file) -or (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash -ne $expected) {
                $bad += $Matches[2]
            }
        }
        if ($bad.Count -gt 0) { Fail "$($bad.Count) file(s) of the bundle differ from SHA256SUMS (first: $($bad[0])): copy and unpack the zip again." }
    }
    $wheel = @(Get-ChildItem -LiteralPath $wheels -Filter "motcua_counter-*.whl")
    if ($wheel.Count -ne 1) { Fail "the folder wheels must hold exactly one motcua_counter wheel: unpack the zip again." }
    return $wheel[0].Name.Split("-")[1]
}

function Get-SupportedPythons([string]$Folder) {
    $found = Get-ChildItem -LiteralPath (Join-Path $Folder "wheels") -Filter "*.whl" |
        ForEach-Object { if ($_.Name -match "-cp3(\d+)-cp3\d+-") { "3." + $Matches[1] } }
    return @($found | Sort-Object -Unique -Descending)
}

function Get-PythonInfo([string[]]$Command) {
    $probe = "import struct, sys; print('%d.%d|%d|%s' % (sys.version_info[0], sys.version_info[1], struct.calcsize('P') * 8, sys.base_prefix))"
    try {
        $exe = $Command[0]; $rest = @($Command | Select-Object -Skip 1)
        $out = & $exe @rest -c $probe 2>$null
        if ($LASTEXITCODE -ne 0 -or -not $out) { return $null }
        $parts = "$out".Split("|", 3)
        return @{ Command = $Command; Version = $parts[0]; Bits = $parts[1]; Base = $parts[2] }
    } catch { return $null }
}

function Test-PerUserPython([string]$Base) {
    $profiles = Split-Path -Parent ([Environment]::GetFolderPath("UserProfile"))
    return $Base.StartsWith("$profiles\", [StringComparison]::OrdinalIgnoreCase) -or $Base -like "*\WindowsApps\*"
}

function Find-Python([string[]]$Supported, [bool]$ForEveryone) {
    $candidates = @()
    if ($env:PYTHON) { $candidates += ,@($env:PYTHON) }
    else {
        foreach ($version in $Supported) { $candidates += ,@("py", "-$version-64") }
        $candidates += ,@("python")
    }
    $seen = @()
    foreach ($candidate in $candidates) {
        $info = Get-PythonInfo $candidate
        if (-not $info) { continue }
        $seen += "$($candidate -join ' ') ($($info.Version), $($info.Bits)-bit, $($info.Base))"
        if ($Supported -notcontains $info.Version -or $info.Bits -ne "64") { continue }
        if ($ForEveryone -and (Test-PerUserPython $info.Base)) {
            Fail "Python $($info.Version) in $($info.Base) is installed for one account only, so other accounts could not run the app; install Python $($Supported[0]) for all users (python.org installer: Customize installation, then Install Python for all users; or: winget install Python.Python.$($Supported[0]) --scope machine) and run install.cmd again."
        }
        return $info
    }
    $want = $Supported -join " or "
    $had = if ($seen.Count -gt 0) { $seen -join "; " } else { "none" }
    Fail "this bundle needs a 64-bit Python $want (found: $had); install it from python.org or with: winget install Python.Python.$($Supported[0]) --scope machine."
}

function Get-InstalledVersion([string]$Folder) {
    $file = Join-Path $Folder "VERSION"
    if (Test-Path -LiteralPath $file) { return ([IO.File]::ReadAllText($file)).Trim() }
    $old = Join-Path $Folder "venv\Scripts\python.exe"
    if (Test-Path -LiteralPath $old) {
        $version = & $old -c "from importlib.metadata import version; print(version('motcua-counter'))" 2>$null
        if ($LASTEXITCODE -eq 0) { return "$version".Trim() }
    }
    return ""
}

function Get-VersionKey([string]$Version) {
    return @([regex]::Matches($Version, "\d+") | ForEach-Object { [int]$_.Value })
}

function Test-Newer([string]$Candidate, [string]$Than) {
    $a = Get-VersionKey $Candidate; $b = Get-VersionKey $Than
    for ($i = 0; $i -lt [Math]::Max($a.Count, $b.Count); $i++) {
        $x = if ($i -lt $a.Count) { $a[$i] } else { -1 }
        $y = if ($i -lt $b.Count) { $b[$i] } else { -1 }
        if ($x -ne $y) { return $x -gt $y }
    }
    return $false
}

function Invoke-Icacls([string]$Folder, [string[]]$Grants) {
    $arguments = @($Folder, "/inheritance:r") + @($Grants | ForEach-Object { "/grant:r"; $_ })
    for ($try = 1; $try -le 3; $try++) {
        & icacls.exe @arguments | Out-Null
        if ($LASTEXITCODE -eq 0) { return }
        Start-Sleep -Seconds 2
    }
    Fail "icacls could not restrict $Folder (exit code $LASTEXITCODE); run install.cmd again as an administrator: it applies the ACL again."
}

function Install-App([hashtable]$Python, [string]$Folder, [string]$Version) {
    [IO.Directory]::CreateDirectory($Folder) | Out-Null
    $venv = Join-Path $Folder "venv-$Version"
    if (Test-Path -LiteralPath $venv) { Remove-Item -LiteralPath $venv -Recurse -Force }
    $exe = $Python.Command[0]; $rest = @($Python.Command | Select-Object -Skip 1)
    & $exe @rest -m venv $venv
    if ($LASTEXITCODE -ne 0) { Fail "could not create the virtual environment $venv." }
    & (Join-Path $venv "Scripts\python.exe") -m pip --isolated --disable-pip-version-check install --no-index `
        --progress-bar off --find-links (Join-Path $Here "wheels") "motcua-counter==$Version"
    if ($LASTEXITCODE -ne 0) {
        Remove-Item -LiteralPath $venv -Recurse -Force -ErrorAction SilentlyContinue
        Fail "installing the bundled wheels failed (pip said why above); the previous install is untouched."
    }
    return $venv
}

function Write-Launchers([string]$Folder, [string]$Venv, [string]$KeyDir) {
    $lines = @("@echo off", "rem Mot Cua Counter (written by install.ps1)", "chcp 65001 >nul")
    if ($KeyDir) {
        $lines += "set ""COUNTER_KEY_BACKEND=dpapi-machine"""
        $lines += "set ""COUNTER_KEY_DIR=$KeyDir"""
        $lines += "if not defined COUNTER_CONFIG set ""COUNTER_CONFIG=%~dp0counter.toml"""
    }
    $lines += """%~dp0$(Split-Path -Leaf $Venv)\Scripts\counter.exe"" %*"
    [IO.File]::WriteAllText((Join-Path $Folder "counter.cmd"), ($lines -join "`r`n") + "`r`n")
    $terminal = @("@echo off", "rem Opens the counter in Windows Terminal's ""$ProfileName"" profile when there is one.",
        "where wt.exe >nul 2>&1 && (start """" wt.exe -p ""$ProfileName"" & exit /b 0)",
        "call ""%~dp0counter.cmd"" %*", "if errorlevel 1 pause")
    [IO.File]::WriteAllText((Join-Path $Folder "counter-terminal.cmd"), ($terminal -join "`r`n") + "`r`n")
}

function Write-Config([string]$Venv, [string]$Path, [string]$Data) {
    if (Test-Path -LiteralPath $Path) { return }
    # single quotes only: Windows PowerShell 5.1 mangles double quotes inside a native command's arguments
    $code = "import json, re, sys`nfrom counter.defaults import files`n" +
        "text, n = re.subn(r'(?m)^data_dir = \x22\x22$', 'data_dir = ' + json.dumps(sys.argv[2], ensure_ascii=False), " +
        "files().joinpath('counter.toml').read_text(encoding='utf-8'), count=1)`n" +
        "sys.exit('no empty data_dir in the shipped counter.toml') if n != 1 else open(sys.argv[1], 'x', encoding='utf-8').write(text)"
    & (Join-Path $Venv "Scripts\python.exe") -c $code $Path $Data
    if ($LASTEXITCODE -ne 0) { Fail "could not write $Path." }
}

function Write-Shortcuts([string]$Folder, [bool]$ForEveryone) {
    $profile = @{ profiles = @(@{ name = $ProfileName; commandline = "`"$(Join-Path $Folder 'counter.cmd')`"";
        startingDirectory = "%USERPROFILE%"; guid = "{6f2b8c1e-4d0a-4a4e-9c55-6d6f74637561}"; hidden = $false }) }
    $json = $profile | ConvertTo-Json -Depth 4
    [IO.File]::WriteAllText((Join-Path $Folder "windows-terminal-profile.json"), $json)
    $base = if ($ForEveryone) { $env:ProgramData } else { $env:LOCALAPPDATA }
    $fragments = Join-Path $base "Microsoft\Windows Terminal\Fragments\MotCuaCounter"
    [IO.Directory]::CreateDirectory($fragments) | Out-Null
    [IO.File]::WriteAllText((Join-Path $fragments "motcua-counter.json"), $json)
    $places = if ($ForEveryone) { @("CommonDesktopDirectory", "CommonPrograms") } else { @("Desktop", "Programs") }
    $shell = New-Object -ComObject WScript.Shell
    foreach ($place in $places) {
        $shortcut = $shell.CreateShortcut((Join-Path ([Environment]::GetFolderPath($place)) "$ProfileName.lnk"))
        $shortcut.TargetPath = Join-Path $Folder "counter-terminal.cmd"
        $shortcut.WorkingDirectory = $Folder
        $shortcut.Save()
    }
}

Step 1 "checking the bundle in $Here"
$Version = Test-Bundle $Here
$Supported = Get-SupportedPythons $Here
Step 2 "looking for a 64-bit Python $($Supported -join ' or ')"
if ($AllUsers) {
    $identity = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
    if (-not $identity.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        Fail "an install for all accounts needs an administrator: right-click install.cmd and choose Run as administrator (or install.cmd /user for this account only)."
    }
}
$Python = Find-Python $Supported ([bool]$AllUsers)
if (-not $Target) {
    $Target = if ($AllUsers) { Join-Path $env:ProgramFiles "MotCuaCounter" } else { Join-Path $env:LOCALAPPDATA "Programs\MotCuaCounter" }
}
$Target = Get-FullPath $Target
$Installed = Get-InstalledVersion $Target
if ($Installed -and $Installed -ne $Version) {
    if (-not (Test-Newer $Version $Installed)) {
        Fail "$Target holds Mot Cua Counter $Installed, newer than this bundle's ${Version}; an older bundle is never installed over a newer one: use the $Installed bundle or a newer one."
    }
    Write-Host "Upgrading Mot Cua Counter $Installed $Arrow $Version in $Target (the data and the key stay)."
}
if ($AllUsers) {
    Step 3 "local group $Group"
    & net.exe localgroup $Group *> $null
    if ($LASTEXITCODE -ne 0) {
        & net.exe localgroup $Group /add "/comment:Mot Cua Counter clerks" | Out-Null
        if ($LASTEXITCODE -ne 0) { Fail "could not create the local group $Group." }
    }
}
$Venv = Join-Path $Target "venv-$Version"
if ($Installed -ne $Version -or -not (Test-Path -LiteralPath $Venv)) {
    Step 4 "installing Mot Cua Counter $Version into $Target with $($Python.Command -join ' ')"
    $Venv = Install-App $Python $Target $Version
} else {
    Step 4 "the app $Version is already in $Target"
}
$KeyDir = ""
if ($AllUsers) {
    if (-not $DataDir) { $DataDir = Join-Path $env:ProgramData "MotCuaCounter" }
    $DataDir = Get-FullPath $DataDir
    Step 5 "data and key in $DataDir for Administrators, SYSTEM and $Group"
    [IO.Directory]::CreateDirectory($DataDir) | Out-Null
    Invoke-Icacls $DataDir @("*S-1-5-32-544:(OI)(CI)F", "*S-1-5-18:(OI)(CI)F", "${Group}:(OI)(CI)M")
    [IO.File]::WriteAllText((Join-Path $DataDir "acl-applied"), "icacls inheritance removed; Administrators, SYSTEM, $Group`r`n")
    $programFiles = Get-FullPath $env:ProgramFiles
    if (-not $Target.StartsWith("$programFiles\", [StringComparison]::OrdinalIgnoreCase)) {
        Invoke-Icacls $Target @("*S-1-5-32-544:(OI)(CI)F", "*S-1-5-18:(OI)(CI)F", "*S-1-5-32-545:(OI)(CI)RX")
    }
    $KeyDir = Join-Path $DataDir "keys"
    Write-Config $Venv (Join-Path $Target "counter.toml") $DataDir
}
Step 6 "launchers, shortcuts and the Windows Terminal profile"
Write-Launchers $Target $Venv $KeyDir
foreach ($old in @(Get-ChildItem -LiteralPath $Target -Directory -Filter "venv*")) {
    if ($old.FullName -ne $Venv) { Remove-Item -LiteralPath $old.FullName -Recurse -Force -ErrorAction SilentlyContinue }
}
foreach ($script in @("uninstall.ps1", "uninstall.cmd")) { Copy-Item -LiteralPath (Join-Path $Here $script) -Destination $Target -Force }
[IO.File]::WriteAllText((Join-Path $Target "VERSION"), "$Version`r`n")
Write-Shortcuts $Target ([bool]$AllUsers)
if ($Installed -and $Installed -ne $Version) { Write-Host "Done: Mot Cua Counter $Installed $Arrow $Version; the data is kept and migrated on first start." }
else { Write-Host "Done: Mot Cua Counter $Version. Start it from the shortcut $ProfileName or with: $(Join-Path $Target 'counter.cmd')" }
