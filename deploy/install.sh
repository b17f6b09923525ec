#!/usr/bin/env bash
# Install, update or repair the lobby kiosk on a Raspberry Pi (Raspberry Pi OS Lite,
# 64-bit) or a Debian PC. Safe to run again at any time: it only changes what is not
# already right, never overwrites the staff's config, and never touches the data.
#
#   sudo bash /opt/lobby-kiosk/deploy/install.sh              # install or update
#   sudo bash /opt/lobby-kiosk/deploy/install.sh --dry-run    # show what it would do
#   sudo bash /opt/lobby-kiosk/deploy/install.sh --help       # all options
#
# Step-by-step instructions for volunteers are in deploy/GUIDE.md.

set -euo pipefail
# The code and units must be readable by the kiosk user whatever umask sudo passes on.
umask 022

readonly APP_DIR=/opt/lobby-kiosk
readonly CONFIG_DIR=/etc/lobby-kiosk
readonly DATA_DIR=/var/lib/lobby-kiosk
readonly UNIT_DIR=/etc/systemd/system
readonly KIOSK_USER=kiosk
readonly STAFF_GROUP=kiosk-staff
readonly KIOSK_BIN=$APP_DIR/.venv/bin/kiosk
readonly KMS_UNIT=lobby-kiosk.service
readonly X11_UNIT=lobby-kiosk-x11.service
readonly STATUS_UNIT=lobby-kiosk-status.service
readonly STATUS_TIMER=lobby-kiosk-status.timer
readonly SYNC_UNIT=lobby-kiosk-sync.service
readonly SYNC_TIMER=lobby-kiosk-sync.timer
readonly SYNC_SETTINGS=/etc/default/lobby-kiosk-sync
# With a shared repository, /etc/lobby-kiosk is a link to this link, which `kiosk sync`
# switches to each new version in $DATA_DIR/config-versions/.
readonly SYNC_CONFIG=/var/lib/lobby-kiosk/config
readonly GRUB_DROPIN=/etc/default/grub.d/lobby-kiosk.cfg

# Packages. Kivy's wheels bring their own SDL2 and the fonts come from PyPI, so only
# Python's venv, make, and Mesa's GL/EGL/GLES libraries (SDL2 loads them for KMS/DRM;
# libegl1 pulls in GBM and libgl1 the GPU drivers) are needed. acl: see set_up_config.
readonly BASE_PACKAGES=(python3-venv make libgl1 libegl1 libgles2 acl)
readonly SPEECH_PACKAGES=(espeak-ng)
readonly SYNC_PACKAGES=(git openssh-client ca-certificates)
# A bare X server for lobby-kiosk-x11.service: no desktop, no display manager.
# libpam-systemd and dbus give the login session that lets Xorg run without root;
# procps has the pkill/pgrep that unit's ExecStop uses.
readonly X11_PACKAGES=(xserver-xorg-core xserver-xorg-input-libinput xinit
    libpam-systemd dbus procps)

DRY_RUN=0
DO_APT=1
DO_TESTS=1
DO_START=1
DO_CMDLINE=1
WITH_SPEECH=0
DISPLAY_CHOICE=""   # kms, x11, or empty: keep what is installed (KMS on a new install)
UNINSTALL=0
STAFF_USERS=()
REBOOT_NEEDED=0
SYNC_SOURCE=""
SYNC_ARGS=()

usage() {
    cat <<'EOF'
Usage: sudo bash /opt/lobby-kiosk/deploy/install.sh [options]

Installs or updates the lobby kiosk: system packages, the `kiosk` user, the Python
environment, the config folder, the systemd units, and console blanking off.
Run it again after every update; it is safe to repeat.

Options:
  --dry-run        print every change it would make, and change nothing
  --no-apt         do not install system packages (offline, or already done)
  --skip-tests     only build the Python environment; do not run the smoke tests
  --speech         also install espeak-ng, for the optional read-aloud button
  --x11            show the kiosk through a minimal X server (lobby-kiosk-x11.service),
                   for screens where the default KMS/DRM does not work
  --kms            switch back to the default KMS/DRM unit (lobby-kiosk.service)
  --staff USER     let USER edit the config (adds USER to kiosk-staff); repeatable.
                   The user who runs this script with sudo is added anyway.
  --sync-source REPO
                   take the config from a git repository (kiosk sync every 5 minutes);
                   with --sync-shared DIR, --sync-path DIR (this building's folder)
                   and --sync-branch NAME. Kept in /etc/default/lobby-kiosk-sync.
  --no-start       install and enable everything, but do not (re)start the kiosk now
  --no-cmdline     do not change the kernel command line (consoleblank=0)
  --uninstall      stop and remove the units; keep the code, config and data
  -h, --help       show this help
EOF
}

# --- output and the dry-run switch ------------------------------------------------------

say()  { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

# Print a command, then run it, unless this is a dry run. Every change goes through here.
run() {
    local arg shown=""
    for arg in "$@"; do
        if [[ $arg =~ ^[][A-Za-z0-9_./:=,+@%{}-]+$ ]]; then
            shown+=" $arg"
        elif [[ $arg != *"'"* ]]; then
            shown+=" '$arg'"
        else
            shown+=" $(printf '%q' "$arg")"
        fi
    done
    printf '    $%s\n' "$shown"
    if (( ! DRY_RUN )); then
        "$@"
    fi
}

# Write text (from stdin) to a file, or show it in a dry run.
write_file() {
    local path=$1 mode=$2 text
    text=$(cat)
    printf '    write %s (mode %s):\n' "$path" "$mode"
    printf '%s\n' "$text" | sed 's/^/      | /'
    if (( ! DRY_RUN )); then
        printf '%s\n' "$text" >"$path"
        chmod "$mode" "$path"
    fi
}

# Is USER in GROUP? (No pipe into `grep -q`: with pipefail that can fail by SIGPIPE.)
in_group() {
    local groups
    groups=" $(id -nG "$1" 2>/dev/null || true) "
    [[ $groups == *" $2 "* ]]
}

# --- arguments ----------------------------------------------------------------------------

parse_args() {
    while (( $# )); do
        case $1 in
            --dry-run)    DRY_RUN=1 ;;
            --no-apt)     DO_APT=0 ;;
            --skip-tests) DO_TESTS=0 ;;
            --speech)     WITH_SPEECH=1 ;;
            --x11)        DISPLAY_CHOICE=x11 ;;
            --kms)        DISPLAY_CHOICE=kms ;;
            --staff)
                (( $# >= 2 )) || die "--staff needs a user name"
                STAFF_USERS+=("$2")
                shift ;;
            --staff=*)    STAFF_USERS+=("${1#--staff=}") ;;
            --sync-source|--sync-path|--sync-shared|--sync-branch)
                (( $# >= 2 )) || die "$1 needs a value"
                case $1 in
                    --sync-source) SYNC_SOURCE=$2 ;;
                    --sync-path)   SYNC_ARGS+=(--path "$2") ;;
                    --sync-shared) SYNC_ARGS+=(--shared "$2") ;;
                    --sync-branch) SYNC_ARGS+=(--branch "$2") ;;
                esac
                shift ;;
            --no-start)   DO_START=0 ;;
            --no-cmdline) DO_CMDLINE=0 ;;
            --uninstall)  UNINSTALL=1 ;;
            -h|--help)    usage; exit 0 ;;
            *)            usage >&2; die "unknown option: $1" ;;
        esac
        shift
    done
}

# --- checks before changing anything -------------------------------------------------------

preflight() {
    if (( EUID != 0 )); then
        if (( DRY_RUN )); then
            warn "not root: fine for --dry-run, but the real install needs sudo"
        else
            die "run this as root: sudo bash $0 $*"
        fi
    fi

    # The units point at /opt/lobby-kiosk, so the project must be there (a symlink is ok).
    local here
    here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
    if [[ ! -d $APP_DIR ]]; then
        die "the project must be in $APP_DIR, and it is in $here. Copy it there first:
    sudo cp -r '$here' $APP_DIR
and run: sudo bash $APP_DIR/deploy/install.sh"
    fi
    if [[ $(readlink -f "$APP_DIR") != "$here" ]]; then
        die "this script is in $here, but the kiosk runs from $APP_DIR.
Run the copy there: sudo bash $APP_DIR/deploy/install.sh"
    fi
    # The unit's sandbox (ProtectHome=yes) hides home folders from the kiosk.
    case $here/ in
        /home/*|/root/*)
            die "$APP_DIR leads to $here, inside a home folder, which the kiosk cannot see.
Put a real copy there instead: sudo rm $APP_DIR && sudo cp -r '$here' $APP_DIR" ;;
        *) ;;
    esac

    if [[ ! -d /run/systemd/system ]]; then
        if (( DRY_RUN )); then
            warn "systemd is not running here; the commands below are what would run on the kiosk"
        else
            die "this system does not run systemd; the kiosk needs it to start at boot"
        fi
    fi

    # Kivy publishes wheels for 64-bit systems only (arm64 and amd64).
    local arch
    arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
    case $arch in
        arm64|amd64|aarch64|x86_64) ;;
        *) die "this is a $arch system. The kiosk needs a 64-bit OS: on a Raspberry Pi,
flash 'Raspberry Pi OS Lite (64-bit)' (see deploy/GUIDE.md)." ;;
    esac

    # Someone at the screen's own console would lose their login when the kiosk takes tty1.
    if [[ $(tty 2>/dev/null || true) == /dev/tty1 ]] && (( DO_START )) && (( ! UNINSTALL )); then
        warn "you are on tty1, which the kiosk takes over: it will not start now. Reboot when this is done."
        DO_START=0
    fi
}

# --- steps ----------------------------------------------------------------------------------

install_packages() {
    local packages=("${BASE_PACKAGES[@]}")
    if (( WITH_SPEECH )); then
        packages+=("${SPEECH_PACKAGES[@]}")
    fi
    if [[ $DISPLAY_CHOICE == x11 ]]; then
        packages+=("${X11_PACKAGES[@]}")
    fi
    if [[ -n $SYNC_SOURCE || -f $SYNC_SETTINGS ]]; then
        packages+=("${SYNC_PACKAGES[@]}")
    fi
    if (( ! DO_APT )); then
        say "Skipping system packages (--no-apt). Needed: ${packages[*]}"
        return
    fi
    say "Installing system packages: ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    run apt-get update \
        || die "apt-get update failed. Check the network, or use --no-apt if the packages are installed."
    # No "recommends": they would bring a whole desktop along with xinit.
    run apt-get install -y --no-install-recommends "${packages[@]}"
}

check_python() {
    if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        if (( DRY_RUN )); then
            warn "python3 here is older than 3.11 (or missing); the kiosk needs 3.11+"
        else
            die "the kiosk needs Python 3.11 or newer (Raspberry Pi OS / Debian 12 'bookworm' or later).
This system has: $(python3 --version 2>&1 || echo 'no python3')"
        fi
    fi
}

create_users() {
    say "The '$KIOSK_USER' user and the '$STAFF_GROUP' group"
    if getent group "$STAFF_GROUP" >/dev/null; then
        note "group $STAFF_GROUP exists"
    else
        run groupadd --system "$STAFF_GROUP"
    fi
    if id -u "$KIOSK_USER" >/dev/null 2>&1; then
        note "user $KIOSK_USER exists"
    else
        # A system user with no password and no shell: it only runs the kiosk. Its home is
        # the data folder, so nothing it writes ends up anywhere else.
        run useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
            --shell /usr/sbin/nologin --comment "Lobby kiosk" "$KIOSK_USER"
    fi

    # Screen, GPU, touchscreen and speaker; plus the config folder's group, so the kiosk
    # can read files staff create and `sudo -u kiosk kiosk set-pin` can save the PIN.
    local group
    for group in video render input audio lp "$STAFF_GROUP"; do
        # (kiosk-staff was just created above, or would be in a dry run.)
        if [[ $group != "$STAFF_GROUP" ]] && ! getent group "$group" >/dev/null; then
            warn "there is no '$group' group on this system; the kiosk unit names it in SupplementaryGroups= and will not start until it exists (or is removed there)"
            continue
        fi
        if in_group "$KIOSK_USER" "$group"; then
            continue
        fi
        run usermod --append --groups "$group" "$KIOSK_USER"
    done

    # Staff who may edit the config: the person running this (via sudo), and --staff.
    local staff=("${STAFF_USERS[@]}") user
    if [[ -n ${SUDO_USER:-} && ${SUDO_USER} != root ]]; then
        staff+=("$SUDO_USER")
    fi
    for user in "${staff[@]}"; do
        if ! id -u "$user" >/dev/null 2>&1; then
            warn "no user '$user'; create it first (sudo adduser $user), then run this again"
            continue
        fi
        if in_group "$user" "$STAFF_GROUP"; then
            note "$user can already edit the config"
        else
            run usermod --append --groups "$STAFF_GROUP" "$user"
            note "$user may edit $CONFIG_DIR after logging out and in again"
        fi
    done
}

build_app() {
    say "The Python environment in $APP_DIR/.venv"
    # Only root writes the code; everyone (the kiosk user) may read it.
    run chmod -R go-w,a+rX "$APP_DIR"
    # A .venv copied from another computer (USB stick) cannot run here: start afresh.
    if [[ -e $APP_DIR/.venv ]] && ! "$APP_DIR/.venv/bin/python" -c '' 2>/dev/null; then
        note "the existing .venv does not run on this machine; building a new one"
        run rm -rf "$APP_DIR/.venv"
    fi
    if (( DO_TESTS )); then
        note "building it and running the quick smoke tests (a few minutes on a Raspberry Pi)"
        run make -C "$APP_DIR" smoke \
            || die "the tests failed (see above). Fix that, or run again with --skip-tests to install anyway."
    else
        note "building it without running the tests (--skip-tests)"
        run make -C "$APP_DIR" .venv/.installed-stamp
    fi
    if (( DRY_RUN )); then
        return
    fi
    # The service runs this Python as the kiosk user, with home folders hidden. A Python
    # from pyenv or similar under /home or /root would fail there: insist on the system's.
    local python
    python=$(readlink -f "$APP_DIR/.venv/bin/python")
    case $python in
        /home/*|/root/*)
            die ".venv uses $python, inside a home folder the kiosk cannot see.
Remove it (sudo rm -rf $APP_DIR/.venv) and run this again with the system's python3 first on PATH." ;;
        *) ;;
    esac
    if ! (cd / && runuser -u "$KIOSK_USER" -- "$APP_DIR/.venv/bin/python" -c 'import kiosk'); then
        die "the '$KIOSK_USER' user cannot run the kiosk's Python (see the error above)"
    fi
}

set_up_config() {
    say "Config in $CONFIG_DIR (staff edit it; this never overwrites it)"
    run install -d -o root -g "$STAFF_GROUP" -m 2770 "$CONFIG_DIR"
    if compgen -G "$CONFIG_DIR/*.toml" >/dev/null; then
        note "config found: kept as it is"
    else
        note "no config yet: copying the sample from $APP_DIR/config"
        local file
        for file in "$APP_DIR"/config/*; do
            # Never replace a file that is there.
            if [[ -f $file && ! -e $CONFIG_DIR/${file##*/} ]]; then
                run cp "$file" "$CONFIG_DIR/"
            fi
        done
    fi
    # root:kiosk-staff, group may read and write, others nothing (kiosk.toml holds the
    # staff PIN's hash). The setgid bit (2) keeps new files in the kiosk-staff group.
    # The kiosk user is in kiosk-staff, so it can read every file.
    run chown -R "root:$STAFF_GROUP" "$CONFIG_DIR"
    run find "$CONFIG_DIR" -type d -exec chmod 2770 {} +
    run find "$CONFIG_DIR" -type f -exec chmod 0660 {} +
    # Files that staff create later (a new .ics, or an upload that replaces a file) stay
    # editable by the group, whatever the editor's umask: a default ACL does that.
    if command -v setfacl >/dev/null || (( DRY_RUN && DO_APT )); then
        run setfacl --default --modify u::rwX,g::rwX,o::- "$CONFIG_DIR"
    else
        note "setfacl is missing (package acl): run this script again if staff ever get 'Permission denied'"
    fi
}

set_up_data() {
    say "Data folder $DATA_DIR (check-ins, config snapshot, logs, heartbeat)"
    run install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0750 "$DATA_DIR"
    # A kiosk command once run as root (instead of `sudo -u kiosk`) can leave files the
    # kiosk cannot write; give them back.
    run chown -R "$KIOSK_USER:$KIOSK_USER" "$DATA_DIR"
}

# Which display unit to use: what was asked, else what is installed now, else KMS.
choose_display() {
    if [[ -z $DISPLAY_CHOICE ]]; then
        if systemctl is-enabled --quiet "$X11_UNIT" 2>/dev/null; then
            DISPLAY_CHOICE=x11
            note "keeping the X11 display unit that is installed (use --kms to switch back)"
        else
            DISPLAY_CHOICE=kms
        fi
    fi
}

install_units() {
    local active=$KMS_UNIT inactive=$X11_UNIT unit
    if [[ $DISPLAY_CHOICE == x11 ]]; then
        active=$X11_UNIT
        inactive=$KMS_UNIT
    fi
    say "systemd units (the kiosk runs as $active)"
    for unit in "$KMS_UNIT" "$X11_UNIT" "$STATUS_UNIT" "$STATUS_TIMER"; do
        run install -m 0644 "$APP_DIR/deploy/$unit" "$UNIT_DIR/$unit"
    done
    run systemctl daemon-reload
    if systemctl is-enabled --quiet "$inactive" 2>/dev/null; then
        run systemctl disable --now "$inactive"
    fi
    # The kiosk owns tty1; a login prompt there would sit under the picture.
    if systemctl is-enabled --quiet getty@tty1.service 2>/dev/null; then
        run systemctl disable getty@tty1.service
    fi
    run systemctl enable "$active" "$STATUS_TIMER"
    if (( DO_START )); then
        # Forget earlier failures (the start limit), then start the new version.
        run systemctl reset-failed "$active" "$STATUS_UNIT"
        run systemctl restart "$active"
        # Restarting the timer puts the first check 5 minutes from now.
        run systemctl restart "$STATUS_TIMER"
    else
        note "not starting now (--no-start, or run from tty1): it starts at the next boot"
    fi
}

# consoleblank=0: the Linux console would otherwise blank the screen after 10 minutes.
set_console_blanking() {
    (( DO_CMDLINE )) || { say "Skipping the kernel command line (--no-cmdline)"; return; }
    say "Console blanking off (consoleblank=0 on the kernel command line)"
    local cmdline=""
    if [[ -f /boot/firmware/cmdline.txt ]]; then
        cmdline=/boot/firmware/cmdline.txt          # Raspberry Pi OS bookworm and later
    elif [[ -f /boot/cmdline.txt ]] && grep -q 'root=' /boot/cmdline.txt; then
        cmdline=/boot/cmdline.txt                   # older Raspberry Pi OS
    fi

    if [[ -n $cmdline ]]; then
        if grep -qE '(^|[[:space:]])consoleblank=0([[:space:]]|$)' "$cmdline"; then
            note "$cmdline already has consoleblank=0"
        else
            # cmdline.txt is a single line, on a FAT partition (plain cp: no modes to keep).
            run cp "$cmdline" "$cmdline.before-lobby-kiosk-$(date +%Y%m%d-%H%M%S)"
            if grep -qE '(^|[[:space:]])consoleblank=' "$cmdline"; then
                run sed -i -E '1 s/(^|[[:space:]])consoleblank=[0-9]+/\1consoleblank=0/' "$cmdline"
            else
                run sed -i -E '1 s/[[:space:]]*$/ consoleblank=0/' "$cmdline"
            fi
            REBOOT_NEEDED=1
        fi
    elif [[ -f /etc/default/grub ]]; then
        # A Debian PC: a drop-in file, so /etc/default/grub stays as it was. Appended last,
        # it wins over any other consoleblank= there.
        # The $ is for GRUB's own scripts to expand, not this one.
        # shellcheck disable=SC2016
        local want='GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT consoleblank=0"'
        if [[ -f $GRUB_DROPIN ]] && grep -qxF "$want" "$GRUB_DROPIN"; then
            note "$GRUB_DROPIN already sets consoleblank=0"
        else
            run install -d -m 0755 "$(dirname "$GRUB_DROPIN")"
            write_file "$GRUB_DROPIN" 0644 <<EOF
# Added by /opt/lobby-kiosk/deploy/install.sh: the lobby kiosk's screen must never blank.
$want
EOF
            run update-grub
            REBOOT_NEEDED=1
        fi
    else
        warn "no /boot/firmware/cmdline.txt, /boot/cmdline.txt or GRUB found: add consoleblank=0 to the kernel command line by hand"
    fi

    # Also turn blanking off for this boot, so there is no need to wait for a reboot.
    if [[ -w /dev/tty1 ]] || (( DRY_RUN )); then
        run sh -c 'setterm --term linux --blank 0 --powerdown 0 </dev/tty1 >/dev/tty1' || true
    fi
}

report_clock() {
    say "Clock and time zone"
    local system_zone kiosk_zone synced
    system_zone=$(timedatectl show --property=Timezone --value 2>/dev/null || echo unknown)
    synced=$(timedatectl show --property=NTPSynchronized --value 2>/dev/null || echo unknown)
    kiosk_zone=$(sed -nE 's/^[[:space:]]*timezone[[:space:]]*=[[:space:]]*"([^"]+)".*/\1/p' \
        "$CONFIG_DIR/kiosk.toml" 2>/dev/null | head -n 1 || true)
    note "system time zone: $system_zone; kiosk.toml: ${kiosk_zone:-not readable yet}"
    if [[ -n $kiosk_zone && $kiosk_zone != "$system_zone" ]]; then
        note "The screen uses kiosk.toml's zone. For logs in the same time, run:"
        note "  sudo timedatectl set-timezone $kiosk_zone"
    fi
    if [[ $synced != yes ]]; then
        note "The clock is not synchronised with the network yet. A Raspberry Pi has no"
        note "battery clock: keep it on the network so the times on screen are right."
    fi
}

next_steps() {
    local unit=$KMS_UNIT n=1
    if [[ $DISPLAY_CHOICE == x11 ]]; then
        unit=$X11_UNIT
    fi
    # One numbered step: a sentence, then its commands indented below it.
    step() {
        printf '  %d. %s\n' "$n" "$1"
        n=$((n + 1))
        shift
        local line
        for line in "$@"; do
            printf '       %s\n' "$line"
        done
    }
    if (( DRY_RUN )); then
        say "Done (dry run: nothing was changed)."
    else
        say "Done."
    fi
    printf '\nNext steps (details in %s):\n' "$APP_DIR/deploy/GUIDE.md"
    if (( REBOOT_NEEDED || ! DO_START )); then
        step "Reboot, so the screen never blanks and the kiosk takes over the screen:" \
            "sudo reboot"
    fi
    if [[ -n $SYNC_SOURCE || -f $SYNC_SETTINGS ]]; then
        step "The config comes from the shared repository: edit it there (GUIDE.md, \"For a housing provider\")." \
            "Set the staff PIN there too: run set-pin on a copy of this building's folder and commit kiosk.toml." \
            "What the last sync did: journalctl -u $SYNC_UNIT -n 5"
    else
        step "Set the staff PIN (the staff panel opens with a 3-second press on the program name):" \
            "sudo -u $KIOSK_USER $KIOSK_BIN set-pin --config $CONFIG_DIR"
        step "Edit the config in $CONFIG_DIR, then check it:" \
            "$KIOSK_BIN check --config $CONFIG_DIR"
    fi
    step "Tap the tip card once: exactly one new tip must appear (GUIDE.md, \"Touch\")."
    step "A few minutes after the start, check its health:" \
        "systemctl status $unit" \
        "sudo -u $KIOSK_USER $KIOSK_BIN status --config $CONFIG_DIR --data $DATA_DIR"
    step "Back up $DATA_DIR and $CONFIG_DIR (GUIDE.md, \"Back up\")."
}

uninstall() {
    say "Removing the kiosk's systemd units (code, config and data stay)"
    local unit
    for unit in "$SYNC_TIMER" "$SYNC_UNIT" "$STATUS_TIMER" "$STATUS_UNIT" "$KMS_UNIT" "$X11_UNIT"; do
        if [[ -f $UNIT_DIR/$unit ]]; then
            run systemctl disable --now "$unit" || true
            run rm -f "$UNIT_DIR/$unit"
        fi
    done
    run systemctl daemon-reload
    run systemctl reset-failed "$STATUS_UNIT" "$KMS_UNIT" "$X11_UNIT" 2>/dev/null || true
    # Give tty1 its login prompt back.
    run systemctl enable getty@tty1.service
    run systemctl start getty@tty1.service
    if [[ -f $GRUB_DROPIN ]]; then
        run rm -f "$GRUB_DROPIN"
        run update-grub
    fi
    cat <<EOF

The kiosk no longer starts. Kept on purpose (back them up before removing them):
  - $APP_DIR (the program), $CONFIG_DIR (the config), $DATA_DIR (the check-in counts)
  - the user $KIOSK_USER and the group $STAFF_GROUP
  - consoleblank=0 in cmdline.txt, if it was added there: harmless. The file as it was
    before is next to it, named cmdline.txt.before-lobby-kiosk-<date>.
To remove those too, after a backup, see "Uninstall" in $APP_DIR/deploy/GUIDE.md.
EOF
}

# The shared repository: its settings, the config folder as a link, a first sync now, and
# the timer. Without --sync-source, a kiosk set up before keeps syncing as it was.
set_up_sync() {
    if [[ -z $SYNC_SOURCE ]]; then
        if [[ -f $SYNC_SETTINGS ]]; then
            say "Shared repository: keeping the settings in $SYNC_SETTINGS"
            install_sync_units
        fi
        return
    fi
    say "Shared repository: $SYNC_SOURCE ${SYNC_ARGS[*]}"
    local args
    printf -v args '%s ' "${SYNC_ARGS[@]}"
    write_file "$SYNC_SETTINGS" 0600 <<EOF
# Written by deploy/install.sh: what lobby-kiosk-sync.service brings. Run install.sh
# again with other --sync-* options to change it.
SYNC_SOURCE=$SYNC_SOURCE
SYNC_ARGS=${args% }
EOF
    # The folder staff had becomes the first version; /etc/lobby-kiosk leads to the link.
    if [[ -d $CONFIG_DIR && ! -L $CONFIG_DIR ]]; then
        if [[ ! -e $SYNC_CONFIG ]]; then
            run cp -a "$CONFIG_DIR" "$SYNC_CONFIG"
            run chown -R "$KIOSK_USER:$KIOSK_USER" "$SYNC_CONFIG"
        fi
        run mv "$CONFIG_DIR" "$CONFIG_DIR.before-sync-$(date +%Y%m%d-%H%M%S)"
    fi
    if [[ ! -L $CONFIG_DIR ]]; then
        run ln -s "$SYNC_CONFIG" "$CONFIG_DIR"
    fi
    note "the first sync, now:"
    if (( ! DRY_RUN )); then
        local code=0
        (cd / && runuser -u "$KIOSK_USER" -- env HOME="$DATA_DIR" "$KIOSK_BIN" sync \
            --source "$SYNC_SOURCE" "${SYNC_ARGS[@]}" --config "$SYNC_CONFIG" --data "$DATA_DIR") \
            || code=$?
        case $code in
            0) note "applied: the screen shows it within a few seconds" ;;
            2) warn "the repository cannot be reached now; the timer tries every 5 minutes" ;;
            *) warn "the repository's config was not applied (see the line above); the screen keeps its config" ;;
        esac
    fi
    install_sync_units
}

install_sync_units() {
    run install -m 0644 "$APP_DIR/deploy/$SYNC_UNIT" "$UNIT_DIR/$SYNC_UNIT"
    run install -m 0644 "$APP_DIR/deploy/$SYNC_TIMER" "$UNIT_DIR/$SYNC_TIMER"
    run systemctl daemon-reload
    run systemctl enable --now "$SYNC_TIMER"
}

main() {
    parse_args "$@"
    preflight "$@"
    if (( DRY_RUN )); then
        say "DRY RUN: printing what would be done; nothing is changed"
    fi
    if (( UNINSTALL )); then
        uninstall
        return
    fi
    choose_display
    install_packages
    check_python
    create_users
    build_app
    set_up_config
    set_up_data
    set_console_blanking
    install_units
    set_up_sync
    report_clock
    next_steps
}

main "$@"
