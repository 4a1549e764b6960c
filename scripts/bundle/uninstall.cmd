@echo off
setlocal
rem Removes Mot Cua Counter (data and key stay): uninstall.cmd [TARGET] for every account of this PC (run as
rem administrator), uninstall.cmd /user [TARGET] for this account only. The window stays open on an error.
set "SCOPE=-AllUsers"
if /i "%~1"=="/user" (set "SCOPE=" & shift)
set "TARGET=%~1"
rem a trailing backslash would escape the closing quote of -Target "...\"
:trim
if not defined TARGET goto run
if "%TARGET:~-1%"=="\" (set "TARGET=%TARGET:~0,-1%" & goto trim)
if "%TARGET:~-1%"==":" set "TARGET=%TARGET%\."
:run
if defined TARGET (
  powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0uninstall.ps1" %SCOPE% -Target "%TARGET%"
) else (
  powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0uninstall.ps1" %SCOPE%
)
set "RESULT=%ERRORLEVEL%"
if not "%RESULT%"=="0" (echo. & echo Go cai dat KHONG thanh cong: doc thong bao o tren. & pause)
exit /b %RESULT%
