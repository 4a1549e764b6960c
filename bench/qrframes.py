"""Synthetic but realistic camera frames of ID-card QR codes, for the decoder benchmark and tests.

A frame is a 1280×720 greyscale image: a cluttered desk with uneven light, and a card holding a QR code
of a generated citizen payload, warped into the frame at a chosen size, angle and tilt, then degraded
(blur, noise, low contrast, glare, JPEG). Everything is drawn from a seeded random generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np

from counter.qr.qrdraw import make_qr
from counter.services.demo import random_person

WIDTH, HEIGHT = 1280, 720
STREETS = ["Hoàng Hoa Thám", "Lê Văn Sỹ", "Nguyễn Trãi", "Trần Hưng Đạo", "Lý Thường Kiệt", "Đường Bạch Đằng",
           "Phố Huế", "Quang Trung", "Hùng Vương", "Điện Biên Phủ", "Võ Thị Sáu", "Nguyễn Thị Minh Khai"]
HAMLETS = ["Xóm 1", "Xóm 3", "Thôn Đông", "Thôn Trung", "Thôn Hạ", "Tổ 5", "Xóm Bến", "Thôn Lạc Thiện",
           "Bản Nậm Cắn", "Ấp Phước Lợi", "Khu phố 4", "Thôn Yên Ổn", "Xóm Đồng Quỹ", "Buôn Ea Tiêu"]
WARDS = ["Xã Hải Minh", "Xã Hải Đường", "Phường Hải Châu", "Xã Quảng Hòa", "Phường Ngọc Hà", "Xã Nghĩa Hưng",
         "Phường Quảng Phú", "Xã Ea Kao", "Thị trấn Yên Định", "Xã Phước Hậu", "Phường Bến Thủy"]
DISTRICTS = ["Huyện Hải Hậu", "Quận Ba Đình", "Huyện Quảng Xương", "Quận Phú Nhuận", "Huyện Krông Ana",
             "Thành phố Vinh", "Huyện Long Hồ", "Thị xã Kỳ Anh", ""]
PROVINCES = ["Tỉnh Nam Định", "Hà Nội", "Tỉnh Thanh Hóa", "TP. Hồ Chí Minh", "Tỉnh Đắk Lắk", "Tỉnh Nghệ An",
             "Tỉnh Vĩnh Long", "Tỉnh Hà Tĩnh", "Thành phố Đà Nẵng", "Tỉnh Ninh Bình"]
NON_ID_PAYLOADS = [
    "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
    "00020101021238570010A000000727012700069704220113VQRQ00012345670208QRIBFTTA53037045802VN6304ABCD",
    "WIFI:T:WPA;S:UBND-Xa-Hai-Minh;P:matkhau2026;;",
    "Phiếu hẹn trả kết quả số 000.00.36.H40-260301-0007",
    "BEGIN:VCARD\nFN:Nguyễn Văn An\nTEL:0912345678\nEND:VCARD",
]


def random_payload(rng: random.Random, today: date = date(2026, 3, 2)) -> str:
    """A realistic citizen-ID QR payload (7 fields, or 11 for cards issued since July 2024)."""
    person = random_person(rng, today=today)
    street = f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}, " if rng.random() < 0.4 else ""
    parts = [rng.choice(HAMLETS), rng.choice(WARDS), rng.choice(DISTRICTS), rng.choice(PROVINCES)]
    address = street + ", ".join(p for p in parts if p)
    fields = [person.id_number, person.old_id_number, person.full_name, f"{person.birth_date:%d%m%Y}",
              person.sex, address, f"{person.issue_date:%d%m%Y}", *person.extra]
    return "|".join(fields)


def qr_modules(payload: str) -> np.ndarray:
    """The QR matrix of `payload` (True = dark) with a 4-module quiet zone."""
    return np.array(make_qr(payload, border=4).get_matrix(), dtype=bool)


@dataclass(frozen=True)
class Look:
    """How one frame is shot: code size, pose and degradations."""

    side: float = 250.0
    """Side of the code (without quiet zone) in frame pixels."""
    angle: float = 0.0
    tilt: float = 0.0
    """Perspective strength: corner displacement as a fraction of the card size."""
    blur: float = 0.0
    motion: int = 0
    """Length in pixels of a horizontal motion-blur streak (0: none)."""
    noise: float = 0.0
    dark: int = 20
    light: int = 235
    gradient: float = 0.3
    glare: bool = False
    jpeg: int = 0
    draw_code: bool = True


def _desk(rng: np.random.Generator) -> np.ndarray:
    """A cluttered background: boxes, lines and printed text at random."""
    frame = np.full((HEIGHT, WIDTH), int(rng.integers(90, 170)), np.uint8)
    for _ in range(int(rng.integers(6, 14))):
        x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        w, h = int(rng.integers(40, 400)), int(rng.integers(20, 300))
        cv2.rectangle(frame, (x, y), (x + w, y + h), int(rng.integers(0, 256)), -1)
    for _ in range(int(rng.integers(5, 15))):
        p1 = (int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT)))
        p2 = (int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT)))
        cv2.line(frame, p1, p2, int(rng.integers(0, 256)), int(rng.integers(1, 6)))
    for _ in range(int(rng.integers(3, 9))):
        org = (int(rng.integers(0, WIDTH - 200)), int(rng.integers(20, HEIGHT)))
        size = float(rng.uniform(0.4, 1.2))
        cv2.putText(frame, "CONG HOA XA HOI 0123", org, cv2.FONT_HERSHEY_SIMPLEX, size,
                    int(rng.integers(0, 256)), int(rng.integers(1, 3)))
    return frame


def _card(modules: np.ndarray | None, module_px: int, look: Look,
          rng: np.random.Generator) -> tuple[np.ndarray, tuple[float, float]]:
    """The card face at `module_px` px per module (QR right, photo and text left) and the QR centre."""
    qr_px = (modules.shape[0] if modules is not None else 45) * module_px
    height = int(qr_px * 1.25)
    width = int(height * 1.585)
    card = np.full((height, width), look.light, np.uint8)
    if modules is not None and look.draw_code:
        code = np.where(np.kron(modules, np.ones((module_px, module_px), bool)), look.dark, look.light)
        top = (height - qr_px) // 2
        card[top:top + qr_px, width - qr_px - module_px * 2:width - module_px * 2] = code.astype(np.uint8)
    left = width - qr_px - module_px * 2  # the code's quiet zone starts here; nothing is drawn into it
    photo_w = width // 4
    cv2.rectangle(card, (module_px * 3, height // 4), (module_px * 3 + photo_w, height * 3 // 4),
                  int(rng.integers(60, 140)), -1)
    x = module_px * 6 + photo_w
    for row in range(5):
        y = height // 6 + row * height // 7
        end = min(left - module_px, x + int(rng.integers(photo_w // 3, photo_w)))
        cv2.line(card, (x, y), (end, y), look.dark, max(1, module_px // 2))
    return card, (left + qr_px / 2, height / 2)


def render(payload: str | None, look: Look, seed: int) -> np.ndarray:
    """One degraded 1280×720 greyscale frame showing `payload`'s QR code (or a card with none)."""
    rng = np.random.default_rng(seed)
    modules = qr_modules(payload) if payload is not None else None
    count = modules.shape[0] if modules is not None else 45
    inner = count - 8
    scale = look.side / inner  # frame pixels per module
    module_px = max(2, int(np.ceil(scale * 1.5)))
    card, qr_centre = _card(modules, module_px, look, rng)
    qr_px = count * module_px
    down = scale / module_px
    card = cv2.GaussianBlur(card, (0, 0), 0.45 / down) if down < 1 else card
    h, w = card.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    centre = np.array([rng.uniform(0.3, 0.7) * WIDTH, rng.uniform(0.35, 0.65) * HEIGHT])
    theta = np.deg2rad(look.angle)
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    corners = (src - [w / 2, h / 2]) * down
    jitter = rng.uniform(-look.tilt, look.tilt, (4, 2)) * [w * down, h * down]
    dst = np.float32((corners + jitter) @ rot.T + centre)
    matrix = cv2.getPerspectiveTransform(src, dst)
    half = qr_px / 2
    qr_corners = np.float32([[[qr_centre[0] + dx, qr_centre[1] + dy]
                              for dx in (-half, half) for dy in (-half, half)]])
    inside = cv2.perspectiveTransform(qr_corners, matrix)[0]
    margin = 10
    shift = np.maximum(0, margin - inside.min(axis=0)) - np.maximum(0, inside.max(axis=0) - [WIDTH - margin,
                                                                                          HEIGHT - margin])
    dst = np.float32(dst + shift)
    matrix = cv2.getPerspectiveTransform(src, dst)
    frame = _desk(rng)
    warped = cv2.warpPerspective(card, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(card, 255), matrix, (WIDTH, HEIGHT), flags=cv2.INTER_NEAREST)
    frame = np.where(mask > 0, warped, frame).astype(np.float32)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    direction = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(direction) * xx / WIDTH + np.sin(direction) * yy / HEIGHT)
    frame *= 1 - look.gradient / 2 + look.gradient * (ramp - ramp.min()) / max(1e-6, np.ptp(ramp))
    if look.glare:
        centre_in_frame = cv2.perspectiveTransform(np.float32([[qr_centre]]), matrix)[0, 0]
        gx, gy = centre_in_frame + rng.uniform(-0.25, 0.25, 2) * look.side
        radius = look.side * rng.uniform(0.12, 0.22)
        spot = np.exp(-(((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * radius**2)))
        frame += spot * 255 * rng.uniform(0.6, 1.0)
    if look.blur > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), look.blur)
    if look.motion > 1:
        kernel = np.zeros((look.motion, look.motion), np.float32)
        kernel[look.motion // 2, :] = 1.0 / look.motion
        frame = cv2.filter2D(frame, -1, kernel)
    if look.noise > 0:
        frame += rng.normal(0, look.noise, frame.shape).astype(np.float32)
    out = np.clip(frame, 0, 255).astype(np.uint8)
    if look.jpeg:
        _ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, look.jpeg])
        out = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    return out
