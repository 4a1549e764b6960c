@echo off
rem Offline install of Mot Cua Counter: install.cmd [TARGET] (default C:\MotCuaCounter).
if "%~1"=="" (
  powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1"
) else (
  powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" -Target "%~1"
)
exit /b %ERRORLEVEL%
