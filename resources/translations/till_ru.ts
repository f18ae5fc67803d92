<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>CartTableModel</name>
    <message>
        <source>Item</source>
        <translation>Товар</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Кол-во</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>Bonus paid</source>
        <translation>Бонусами</translation>
    </message>
</context>
<context>
    <name>CheckoutScreen</name>
    <message>
        <source>+1  (+)</source>
        <translation>+1  (+)</translation>
    </message>
    <message>
        <source>−1  (−)</source>
        <translation>−1  (−)</translation>
    </message>
    <message>
        <source>Delete line (Del)</source>
        <translation>Удалить строку (Del)</translation>
    </message>
    <message>
        <source>Discount (Ctrl+D)</source>
        <translation>Скидка (Ctrl+D)</translation>
    </message>
    <message>
        <source>F2 customer · F3 new customer · F4 max bonus · F5 bonus amount · F6 promo · Ctrl+D discount · F12 pay · Esc cancel</source>
        <translation>F2 покупатель · F3 новый покупатель · F4 максимум бонусов · F5 сумма бонусов · F6 промокод · Ctrl+D скидка · F12 оплата · Esc отмена</translation>
    </message>
    <message>
        <source>Finish or cancel the sale (Esc) before logging out.</source>
        <translation>Завершите или отмените продажу (Esc), прежде чем выйти.</translation>
    </message>
    <message>
        <source>The scanned code {code} is not a card, a product or a receipt.</source>
        <translation>Отсканированный код {code} — не карта, не товар и не чек.</translation>
    </message>
    <message>
        <source>Scan a product first: a discount is on a line.</source>
        <translation>Сначала отсканируйте товар: скидка даётся на строку.</translation>
    </message>
    <message>
        <source>A discount of {off} on {name}.</source>
        <translation>Скидка {off} на «{name}».</translation>
    </message>
    <message>
        <source>Press again to issue a new card: the old one will stop working.</source>
        <translation>Нажмите ещё раз, чтобы выдать новую карту: старая перестанет работать.</translation>
    </message>
    <message>
        <source>New card {card} issued; the old one no longer works.</source>
        <translation>Выдана новая карта {card}; старая больше не работает.</translation>
    </message>
    <message>
        <source>Customer registered, card ends in {digits}.</source>
        <translation>Покупатель зарегистрирован, номер карты заканчивается на {digits}.</translation>
    </message>
    <message>
        <source>Customer registered.</source>
        <translation>Покупатель зарегистрирован.</translation>
    </message>
    <message>
        <source>Press Esc again to cancel this sale ({count} lines).</source>
        <translation>Нажмите Esc ещё раз, чтобы отменить продажу (позиций: {count}).</translation>
    </message>
    <message>
        <source>Sale cancelled.</source>
        <translation>Продажа отменена.</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <source>For the customer</source>
        <translation>Для покупателя</translation>
    </message>
    <message>
        <source>Your loyalty card ending {digits}: take a photo of this code and show it at the till next time.</source>
        <translation>Ваша карта лояльности с окончанием {digits}: сфотографируйте этот код и покажите его на кассе в следующий раз.</translation>
    </message>
    <message>
        <source>Welcome!</source>
        <translation>Добро пожаловать!</translation>
    </message>
    <message>
        <source>To pay: {sum}</source>
        <translation>К оплате: {sum}</translation>
    </message>
    <message>
        <source>Join our loyalty program: bonus on every purchase. Ask the cashier.</source>
        <translation>Вступайте в программу лояльности: бонусы с каждой покупки. Спросите кассира.</translation>
    </message>
    <message>
        <source>dear customer</source>
        <translation>уважаемый покупатель</translation>
    </message>
    <message>
        <source>Hello, {name}! Your bonus: {points}</source>
        <translation>Здравствуйте, {name}! Ваши бонусы: {points}</translation>
    </message>
    <message>
        <source>spent now: {points}</source>
        <translation>списано сейчас: {points}</translation>
    </message>
    <message>
        <source>you will earn: {points}</source>
        <translation>будет начислено: {points}</translation>
    </message>
    <message>
        <source>Thank you for your purchase!</source>
        <translation>Спасибо за покупку!</translation>
    </message>
    <message>
        <source>Your change: {sum}</source>
        <translation>Ваша сдача: {sum}</translation>
    </message>
    <message>
        <source>Your bonus now: {points}</source>
        <translation>Ваши бонусы теперь: {points}</translation>
    </message>
    <message>
        <source>+{points} on its way, from {date}</source>
        <translation>ещё +{points} станут доступны с {date}</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>Phone or card (F2)</source>
        <translation>Телефон/карта (F2)</translation>
    </message>
    <message>
        <source>New (F3)</source>
        <translation>Новый (F3)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <source>No customer</source>
        <translation>Покупатель не выбран</translation>
    </message>
    <message>
        <source>Scan the loyalty card or type the phone number.</source>
        <translation>Отсканируйте карту или введите телефон.</translation>
    </message>
    <message>
        <source>Questionnaire filled in</source>
        <translation>Анкета заполнена</translation>
    </message>
    <message>
        <source>Questionnaire not filled in</source>
        <translation>Анкета не заполнена</translation>
    </message>
    <message>
        <source>Name not given</source>
        <translation>Имя не указано</translation>
    </message>
    <message>
        <source>Lost card: new one</source>
        <translation>Карта утеряна: новая</translation>
    </message>
    <message>
        <source>card {card}</source>
        <translation>карта {card}</translation>
    </message>
    <message>
        <source>Bonus: {points}</source>
        <translation>Бонусы: {points}</translation>
    </message>
    <message>
        <source>Birthday {date}</source>
        <translation>День рождения {date}</translation>
    </message>
    <message>
        <source>+{points} from {date}</source>
        <translation>+{points} с {date}</translation>
    </message>
    <message>
        <source>Pending: {list}</source>
        <translation>Ожидают: {list}</translation>
    </message>
    <message>
        <source>Owes {points} bonus</source>
        <translation>Долг по бонусам: {points}</translation>
    </message>
    <message>
        <source>{points} on {date}</source>
        <translation>{points} — {date}</translation>
    </message>
    <message>
        <source>Expiring soon: {list}</source>
        <translation>Скоро сгорят: {list}</translation>
    </message>
</context>
<context>
    <name>DeviceSettingsDialog</name>
    <message>
        <source>Device settings</source>
        <translation>Настройки устройств</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Чековый принтер</translation>
    </message>
    <message>
        <source>No printer</source>
        <translation>Без принтера</translation>
    </message>
    <message>
        <source>Network (TCP/IP, port 9100)</source>
        <translation>Сетевой (TCP/IP, порт 9100)</translation>
    </message>
    <message>
        <source>Serial port or USB-serial adapter</source>
        <translation>COM-порт или переходник USB–COM</translation>
    </message>
    <message>
        <source>USB printer device (Linux usblp) or a file</source>
        <translation>USB-принтер как устройство (Linux usblp) или файл</translation>
    </message>
    <message>
        <source>USB, direct through libusb</source>
        <translation>USB напрямую через libusb</translation>
    </message>
    <message>
        <source>None, for trying the till (prints nowhere)</source>
        <translation>Никакой, для пробы кассы (ничего не печатает)</translation>
    </message>
    <message>
        <source>Printer type</source>
        <translation>Тип принтера</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Search again</source>
        <translation>Искать снова</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Найдено</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Профиль</translation>
    </message>
    <message>
        <source>As the profile says</source>
        <translation>Как в профиле</translation>
    </message>
    <message>
        <source>58 mm · 32 characters a line</source>
        <translation>58 мм · 32 символа в строке</translation>
    </message>
    <message>
        <source>80 mm · 42 characters a line</source>
        <translation>80 мм · 42 символа в строке</translation>
    </message>
    <message>
        <source>80 mm · 48 characters a line</source>
        <translation>80 мм · 48 символов в строке</translation>
    </message>
    <message>
        <source>Paper width</source>
        <translation>Ширина ленты</translation>
    </message>
    <message>
        <source>Code page</source>
        <translation>Кодовая страница</translation>
    </message>
    <message>
        <source>More options</source>
        <translation>Другие параметры</translation>
    </message>
    <message>
        <source>Printer URL</source>
        <translation>Адрес принтера (URL)</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>Пробная печать</translation>
    </message>
    <message>
        <source>Barcode scanner</source>
        <translation>Сканер штрихкодов</translation>
    </message>
    <message>
        <source>none (keyboard scanner), or /dev/ttyACM0, COM4 …</source>
        <translation>нет (сканер-клавиатура) или /dev/ttyACM0, COM4 …</translation>
    </message>
    <message>
        <source>Serial scanner port</source>
        <translation>Порт COM-сканера</translation>
    </message>
    <message>
        <source>Start live scan test</source>
        <translation>Проверить сканер</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>Считано</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> мс</translation>
    </message>
    <message>
        <source>Keyboard scanner: longest pause between keys</source>
        <translation>Сканер-клавиатура: наибольшая пауза между клавишами</translation>
    </message>
    <message>
        <source>Keyboard scanner: shortest code</source>
        <translation>Сканер-клавиатура: самый короткий код</translation>
    </message>
    <message>
        <source>Written out in full</source>
        <translation>Записан целиком</translation>
    </message>
    <message>
        <source>{columns} characters a line</source>
        <translation>{columns} символов в строке</translation>
    </message>
    <message>
        <source>(no printer)</source>
        <translation>(без принтера)</translation>
    </message>
    <message>
        <source>This till cannot keep a scanner port yet: it is for the test.</source>
        <translation>Эта касса пока не хранит порт сканера: он только для проверки.</translation>
    </message>
    <message>
        <source>Set by LOYALTY_TILL_* variables, which win over the file: {keys}.</source>
        <translation>Переменные LOYALTY_TILL_* задают {keys}, и они важнее файла.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Поиск…</translation>
    </message>
    <message>
        <source>{count} found: choose one to use it</source>
        <translation>Найдено: {count}. Выберите нужное</translation>
    </message>
    <message>
        <source>No USB printer or serial port found</source>
        <translation>USB-принтеров и COM-портов не найдено</translation>
    </message>
    <message>
        <source>The search for devices failed</source>
        <translation>Не удалось найти устройства</translation>
    </message>
    <message>
        <source>Choose a printer first.</source>
        <translation>Сначала выберите принтер.</translation>
    </message>
    <message>
        <source>Printing the test page…</source>
        <translation>Печатается пробный чек…</translation>
    </message>
    <message>
        <source>The test page was printed: check that the Russian lines read right and the ruler fits on one line.</source>
        <translation>Пробный чек напечатан: проверьте, что русский текст читается, а линейка умещается в одну строку.</translation>
    </message>
    <message>
        <source>The printer does not answer: it is off or unplugged, or the address is wrong.</source>
        <translation>Принтер не отвечает: он выключен или не подключён, либо адрес неверный.</translation>
    </message>
    <message>
        <source>The printer did not take the page in time: it is busy, stuck or out of reach.</source>
        <translation>Принтер не принял чек вовремя: он занят, завис или недоступен.</translation>
    </message>
    <message>
        <source>The printer is out of paper.</source>
        <translation>В принтере кончилась бумага.</translation>
    </message>
    <message>
        <source>The printer&apos;s cover is open.</source>
        <translation>Крышка принтера открыта.</translation>
    </message>
    <message>
        <source>The printer reports an error: a paper jam or the cutter?</source>
        <translation>Принтер сообщает об ошибке: замята бумага или отрезчик?</translation>
    </message>
    <message>
        <source>These printer settings cannot work: {detail}</source>
        <translation>С такими настройками принтер работать не будет: {detail}</translation>
    </message>
    <message>
        <source>Printing failed: {detail}</source>
        <translation>Печать не удалась: {detail}</translation>
    </message>
    <message>
        <source>Enter or choose the scanner&apos;s port first.</source>
        <translation>Сначала укажите или выберите порт сканера.</translation>
    </message>
    <message>
        <source>Cannot use this port: {error}</source>
        <translation>Этот порт не подходит: {error}</translation>
    </message>
    <message>
        <source>Opening {port}…</source>
        <translation>Открывается {port}…</translation>
    </message>
    <message>
        <source>Stop live scan test</source>
        <translation>Остановить проверку</translation>
    </message>
    <message>
        <source>Scan test stopped.</source>
        <translation>Проверка сканера остановлена.</translation>
    </message>
    <message>
        <source>Scanner connected: scan a code.</source>
        <translation>Сканер подключён: считайте код.</translation>
    </message>
    <message>
        <source>Scanner not connected ({reason}); still trying.</source>
        <translation>Сканер не подключён ({reason}); пробуем снова.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>Ничего не изменилось.</translation>
    </message>
    <message>
        <source>Saved in {path}. Restart the till to use the new settings.</source>
        <translation>Сохранено в {path}. Перезапустите кассу, чтобы новые настройки заработали.</translation>
    </message>
    <message>
        <source>But LOYALTY_TILL_* variables set {keys}, and they win over the file.</source>
        <translation>Но переменные LOYALTY_TILL_* задают {keys}, и они важнее файла.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>&apos;{text}&apos; is not a valid phone number.</source>
        <translation>«{text}» — неверный номер телефона.</translation>
    </message>
    <message>
        <source>Enter a phone number.</source>
        <translation>Введите номер телефона.</translation>
    </message>
    <message>
        <source>&apos;{region}&apos; is not a known country code for phone numbers.</source>
        <translation>«{region}» — неизвестный код страны для телефонных номеров.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a loyalty card number: check the digits or scan again.</source>
        <translation>«{text}» — не номер карты лояльности: проверьте цифры или отсканируйте ещё раз.</translation>
    </message>
    <message>
        <source>Card {masked} was not issued by this loyalty program.</source>
        <translation>Карта {masked} не выпускалась в этой программе лояльности.</translation>
    </message>
    <message>
        <source>Card {masked} is not registered.</source>
        <translation>Карта {masked} не зарегистрирована.</translation>
    </message>
    <message>
        <source>Card {masked} is {status} and cannot be used.</source>
        <translation>Карту {masked} использовать нельзя: {status}.</translation>
    </message>
    <message>
        <source>The customer must consent to personal-data processing before registration.</source>
        <translation>Для регистрации нужно согласие покупателя на обработку персональных данных.</translation>
    </message>
    <message>
        <source>Phone {masked} already belongs to a registered customer.</source>
        <translation>Телефон {masked} уже принадлежит зарегистрированному покупателю.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not an e-mail address.</source>
        <translation>«{text}» — неверный адрес электронной почты.</translation>
    </message>
    <message>
        <source>Birthday {value} is not plausible.</source>
        <translation>Дата рождения {value} выглядит неправдоподобно.</translation>
    </message>
    <message>
        <source>No customer with phone {masked}.</source>
        <translation>Покупатель с телефоном {masked} не найден.</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>PIN-код — это от 4 до 8 цифр.</translation>
    </message>
    <message>
        <source>Wrong PIN. {left} attempts left.</source>
        <translation>Неверный PIN-код. Осталось попыток: {left}.</translation>
    </message>
    <message>
        <source>Too many wrong PINs: locked until {until}.</source>
        <translation>Слишком много неверных PIN-кодов: вход заблокирован до {until}.</translation>
    </message>
    <message>
        <source>This staff member is not known at this till.</source>
        <translation>Этот сотрудник не зарегистрирован на этой кассе.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not an amount of money.</source>
        <translation>«{text}» — неверная сумма.</translation>
    </message>
    <message>
        <source>No product with barcode {barcode}.</source>
        <translation>Товар со штрихкодом {barcode} не найден.</translation>
    </message>
    <message>
        <source>The cart is empty.</source>
        <translation>Чек пуст.</translation>
    </message>
    <message>
        <source>The total changed to {total} while paying; check the receipt again.</source>
        <translation>Во время оплаты сумма изменилась на {total}; проверьте чек ещё раз.</translation>
    </message>
    <message>
        <source>An amount paid cannot be below zero.</source>
        <translation>Сумма оплаты не может быть меньше нуля.</translation>
    </message>
    <message>
        <source>The card cannot pay {card}: only {to_pay} is due.</source>
        <translation>Картой нельзя оплатить {card}: к оплате только {to_pay}.</translation>
    </message>
    <message>
        <source>{short} more is needed: {due} is due in cash, {tendered} was given.</source>
        <translation>Не хватает {short}: наличными к оплате {due}, получено {tendered}.</translation>
    </message>
    <message>
        <source>Nothing is left to pay in cash; clear the cash amount.</source>
        <translation>Наличными платить нечего: очистите сумму наличных.</translation>
    </message>
    <message>
        <source>The payment does not settle the check: {problem}.</source>
        <translation>Оплата не сходится с чеком: {problem}.</translation>
    </message>
    <message>
        <source>{text} is not a day: type it as dd.mm.yyyy.</source>
        <translation>{text} — не дата: введите её как дд.мм.гггг.</translation>
    </message>
    <message>
        <source>The customer of this sale is not known at this till.</source>
        <translation>Покупатель этой продажи неизвестен на этой кассе.</translation>
    </message>
    <message>
        <source>This till has no loyalty rules yet: connect it to the server once.</source>
        <translation>На кассе ещё нет правил программы лояльности: подключите её к серверу хотя бы один раз.</translation>
    </message>
    <message>
        <source>Loyalty rules refused: {field}: {problem}</source>
        <translation>Правила программы лояльности отклонены: {field}: {problem}</translation>
    </message>
    <message>
        <source>Invalid till settings ({source}):
{problems}</source>
        <translation>Неверные настройки кассы ({source}):
{problems}</translation>
    </message>
    <message>
        <source>Gift card {card} refused.</source>
        <translation>Подарочная карта {card} отклонена.</translation>
    </message>
    <message>
        <source>Wrong PIN for gift card {card}.</source>
        <translation>Неверный PIN-код подарочной карты {card}.</translation>
    </message>
    <message>
        <source>Gift card {card} expired on {date}.</source>
        <translation>Срок действия подарочной карты {card} истёк {date}.</translation>
    </message>
    <message>
        <source>Gift card {card} is blocked.</source>
        <translation>Подарочная карта {card} заблокирована.</translation>
    </message>
    <message>
        <source>No gift card {card} is known here.</source>
        <translation>Подарочная карта {card} здесь неизвестна.</translation>
    </message>
    <message>
        <source>Gift card {card} has no balance left.</source>
        <translation>На подарочной карте {card} не осталось средств.</translation>
    </message>
    <message>
        <source>Gift card {card} is locked after too many wrong PINs.</source>
        <translation>Подарочная карта {card} заблокирована после нескольких неверных PIN-кодов.</translation>
    </message>
    <message>
        <source>A discount on {name} must be above zero and at most {gross}.</source>
        <translation>Скидка на «{name}» должна быть больше нуля и не больше {gross}.</translation>
    </message>
    <message>
        <source>A manual discount needs a manager&apos;s PIN.</source>
        <translation>Ручной скидке нужен PIN менеджера.</translation>
    </message>
    <message>
        <source>Only a manager can allow a manual discount.</source>
        <translation>Ручную скидку может разрешить только менеджер.</translation>
    </message>
    <message>
        <source>Say why the manager allows this discount: the audit log keeps the reason.</source>
        <translation>Укажите, почему менеджер разрешает скидку: причина сохраняется в журнале.</translation>
    </message>
    <message>
        <source>Return refused.</source>
        <translation>Возврат отклонён.</translation>
    </message>
    <message>
        <source>Receipt {sale_id} is older than {days} days: a manager must approve this return.</source>
        <translation>Чек {sale_id} старше {days} дн.: этот возврат должен одобрить управляющий.</translation>
    </message>
    <message>
        <source>Line {line_id} is not on receipt {sale_id}.</source>
        <translation>Строки {line_id} нет в чеке {sale_id}.</translation>
    </message>
    <message>
        <source>Line {line_id}: {asked} asked back, only {left} left to return (thousandths).</source>
        <translation>Строка {line_id}: к возврату {asked}, а вернуть можно только {left} (в тысячных).</translation>
    </message>
    <message>
        <source>The customer&apos;s bonus wallet is needed to return receipt {sale_id}.</source>
        <translation>Для возврата чека {sale_id} нужен бонусный счёт покупателя.</translation>
    </message>
    <message>
        <source>No sale with receipt number {number} on this till.</source>
        <translation>На этой кассе нет продажи с чеком № {number}.</translation>
    </message>
    <message>
        <source>Only a manager can approve a late return.</source>
        <translation>Одобрить возврат после срока может только управляющий.</translation>
    </message>
    <message>
        <source>Say why the manager allows this return: the audit log keeps the reason.</source>
        <translation>Укажите, почему менеджер разрешает возврат: причина сохраняется в журнале.</translation>
    </message>
    <message>
        <source>A refund of {refund} is above this till&apos;s limit of {limit}: a manager&apos;s PIN.</source>
        <translation>Возврат {refund} больше лимита кассы {limit}: нужен PIN менеджера.</translation>
    </message>
    <message>
        <source>The bank card was declined: {reason}.</source>
        <translation>Банковская карта отклонена: {reason}.</translation>
    </message>
    <message>
        <source>This survey link is not valid.</source>
        <translation>Эта ссылка на опрос недействительна.</translation>
    </message>
    <message>
        <source>This survey link expired on {date}.</source>
        <translation>Срок действия ссылки на опрос истёк {date}.</translation>
    </message>
    <message>
        <source>Receipt No. {number} has already been rated.</source>
        <translation>Чек № {number} уже оценён.</translation>
    </message>
    <message>
        <source>A rating is 1 to 5, not {score}.</source>
        <translation>Оценка — от 1 до 5, а не {score}.</translation>
    </message>
    <message>
        <source>Reasons must be up to {most} of the known ones, each once: {problem}.</source>
        <translation>Причин — не больше {most}, из известных, каждая один раз: {problem}.</translation>
    </message>
    <message>
        <source>Only a sale of this till can be rated.</source>
        <translation>Оценить можно только продажу этой кассы.</translation>
    </message>
    <message>
        <source>Shift No. {number} is already open at this till.</source>
        <translation>Смена № {number} на этой кассе уже открыта.</translation>
    </message>
    <message>
        <source>Only a senior cashier or a manager closes the shift.</source>
        <translation>Закрывает смену только старший кассир или менеджер.</translation>
    </message>
    <message>
        <source>No shift is open at this till: F10 opens one.</source>
        <translation>На кассе нет открытой смены: откройте её клавишей F10.</translation>
    </message>
    <message>
        <source>An amount of cash cannot be below zero.</source>
        <translation>Сумма наличных не может быть меньше нуля.</translation>
    </message>
    <message>
        <source>The shift&apos;s report does not add up: {problem}.</source>
        <translation>Отчёт смены не сходится: {problem}.</translation>
    </message>
    <message>
        <source>The refund does not go back the way the sale was paid: {problem}.</source>
        <translation>Деньги возвращаются не так, как была оплачена покупка: {problem}.</translation>
    </message>
    <message>
        <source>An adjustment needs a non-zero amount, a reason and an author.</source>
        <translation>Для корректировки нужны ненулевая сумма, причина и автор.</translation>
    </message>
    <message>
        <source>The server at {url} did not answer properly ({reason}). Check the address and the network, then try again.</source>
        <translation>Сервер {url} не ответил как положено ({reason}). Проверьте адрес и сеть, затем попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>&apos;{url}&apos; is not a server address; it looks like https://loyalty.example.com</source>
        <translation>«{url}» — не адрес сервера; адрес выглядит так: https://loyalty.example.com</translation>
    </message>
    <message>
        <source>The server refused: {message}</source>
        <translation>Сервер отказал: {message}</translation>
    </message>
    <message>
        <source>This till is not enrolled with a server yet: run pos-admin enroll first.</source>
        <translation>Касса ещё не подключена к серверу: сначала выполните pos-admin enroll.</translation>
    </message>
    <message>
        <source>No receipt has been printed at this till yet.</source>
        <translation>На этой кассе ещё не печатался ни один чек.</translation>
    </message>
    <message>
        <source>No sale or return {sale_id} at this till.</source>
        <translation>На этой кассе нет продажи или возврата {sale_id}.</translation>
    </message>
    <message>
        <source>No receipt printer is set up at this till.</source>
        <translation>На этой кассе не настроен принтер чеков.</translation>
    </message>
    <message>
        <source>The device settings were not saved.</source>
        <translation>Настройки устройств не сохранены.</translation>
    </message>
    <message>
        <source>The printer address {url} cannot work: {problem}. Nothing was saved.</source>
        <translation>Адрес принтера {url} не подходит: {problem}. Ничего не сохранено.</translation>
    </message>
    <message>
        <source>The scanner port {port} cannot work: {problem}. Nothing was saved.</source>
        <translation>Порт сканера {port} не подходит: {problem}. Ничего не сохранено.</translation>
    </message>
    <message>
        <source>{setting} must be from {low} to {high}, not {value}. Nothing was saved.</source>
        <translation>{setting}: допустимо от {low} до {high}, а не {value}. Ничего не сохранено.</translation>
    </message>
    <message>
        <source>This version of the till has no setting {setting}. Nothing was saved.</source>
        <translation>В этой версии кассы нет настройки {setting}. Ничего не сохранено.</translation>
    </message>
    <message>
        <source>With these values the till would not start:
{problems}
Nothing was saved.</source>
        <translation>С такими значениями касса не запустится:
{problems}
Ничего не сохранено.</translation>
    </message>
    <message>
        <source>The settings file {path} cannot be read ({problem}); fix it first.</source>
        <translation>Файл настроек {path} не читается ({problem}); сначала исправьте его.</translation>
    </message>
    <message>
        <source>The settings file {path} cannot be written ({problem}). Nothing was saved.</source>
        <translation>Не удалось записать файл настроек {path} ({problem}). Ничего не сохранено.</translation>
    </message>
    <message>
        <source>A pulled page starts at {page_cursor}, but this till&apos;s copy ends at {cursor}; nothing was applied, the next pull starts from {cursor}.</source>
        <translation>Полученная страница начинается с {page_cursor}, а копия на этой кассе заканчивается на {cursor}; ничего не записано, следующая загрузка начнётся с {cursor}.</translation>
    </message>
    <message>
        <source>Unknown event kind &apos;{kind}&apos;.</source>
        <translation>Неизвестный вид события «{kind}».</translation>
    </message>
    <message>
        <source>Event kind {kind} has no schema version {version} (known: {known}).</source>
        <translation>У события {kind} нет версии схемы {version} (известны: {known}).</translation>
    </message>
    <message>
        <source>Event {kind} v{version} is malformed: {problems}</source>
        <translation>Событие {kind} v{version} составлено неверно: {problems}</translation>
    </message>
    <message>
        <source>The server refused to enroll this till: {message}</source>
        <translation>Сервер отказал в регистрации кассы: {message}</translation>
    </message>
    <message>
        <source>The server no longer accepts this till&apos;s credential; enroll it again. ({message})</source>
        <translation>Сервер больше не принимает ключ этой кассы; зарегистрируйте её заново. ({message})</translation>
    </message>
    <message>
        <source>Ledger entry {entry_id} refused: {problem}</source>
        <translation>Запись журнала {entry_id} отклонена: {problem}</translation>
    </message>
    <message>
        <source>Two different entries share the id {entry_id}.</source>
        <translation>У двух разных записей один и тот же идентификатор {entry_id}.</translation>
    </message>
    <message>
        <source>Entry {entry_id} is older than the wallet; project the ledger again.</source>
        <translation>Запись {entry_id} старше состояния бонусного счёта; пересчитайте журнал заново.</translation>
    </message>
    <message>
        <source>Entry {entry_id} refers to lot {lot_id}, which this customer does not have.</source>
        <translation>Запись {entry_id} ссылается на начисление {lot_id}, которого у этого покупателя нет.</translation>
    </message>
    <message>
        <source>Something went wrong: {error}</source>
        <translation>Что-то пошло не так: {error}</translation>
    </message>
    <message>
        <source>active</source>
        <translation>она активна</translation>
    </message>
    <message>
        <source>replaced by a new card</source>
        <translation>она заменена новой картой</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>она заблокирована</translation>
    </message>
</context>
<context>
    <name>FreePriceBar</name>
    <message>
        <source>Add amount (Ctrl+M)</source>
        <translation>Добавить сумму (Ctrl+M)</translation>
    </message>
    <message>
        <source>Free price:</source>
        <translation>Свободная цена:</translation>
    </message>
</context>
<context>
    <name>GiftCardDialog</name>
    <message>
        <source>Gift card</source>
        <translation>Подарочная карта</translation>
    </message>
    <message>
        <source>scan or type the card&apos;s number</source>
        <translation>отсканируйте или введите номер карты</translation>
    </message>
    <message>
        <source>the customer types it</source>
        <translation>вводит покупатель</translation>
    </message>
    <message>
        <source>Take the card  Enter</source>
        <translation>Принять карту  Enter</translation>
    </message>
    <message>
        <source>Cancel  Esc</source>
        <translation>Отмена  Esc</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>Номер карты</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Scan or type the gift card&apos;s number.</source>
        <translation>Отсканируйте или введите номер подарочной карты.</translation>
    </message>
    <message>
        <source>The customer types the card&apos;s PIN.</source>
        <translation>Покупатель вводит PIN карты.</translation>
    </message>
    <message>
        <source>Checking the card…</source>
        <translation>Проверяем карту…</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>C</source>
        <translation>С</translation>
    </message>
</context>
<context>
    <name>LineDiscountDialog</name>
    <message>
        <source>Line discount</source>
        <translation>Скидка на строку</translation>
    </message>
    <message>
        <source>10% or 150,00</source>
        <translation>10% или 150,00</translation>
    </message>
    <message>
        <source>Ask a manager  Enter</source>
        <translation>Спросить менеджера  Enter</translation>
    </message>
    <message>
        <source>Cancel  Esc</source>
        <translation>Отмена  Esc</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Строка</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>Type a percentage up to 100% or an amount up to {sum}.</source>
        <translation>Введите процент до 100% или сумму до {sum}.</translation>
    </message>
    <message>
        <source>−{off}: the line costs {left}</source>
        <translation>−{off}: строка стоит {left}</translation>
    </message>
    <message>
        <source>Type the discount: 10% or 150,00.</source>
        <translation>Введите скидку: 10% или 150,00.</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Log in to the till</source>
        <translation>Вход на кассу</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN-код</translation>
    </message>
    <message>
        <source>Log in (Enter)</source>
        <translation>Войти (Enter)</translation>
    </message>
    <message>
        <source>Who is at the till?</source>
        <translation>Кто за кассой?</translation>
    </message>
    <message>
        <source>Demo store. PINs: {pins}</source>
        <translation>Демо-магазин. PIN-коды: {pins}</translation>
    </message>
    <message>
        <source>Choose your name in the list first.</source>
        <translation>Сначала выберите себя в списке.</translation>
    </message>
    <message>
        <source>Type your PIN, then press Enter.</source>
        <translation>Введите PIN-код и нажмите Enter.</translation>
    </message>
    <message>
        <source>Checking the PIN…</source>
        <translation>Проверяем PIN-код…</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Loyalty till</source>
        <translation>Касса программы лояльности</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{store} — {till}</source>
        <translation>{store} — {till}</translation>
    </message>
    <message>
        <source>Locked after {minutes} min with nobody at the till.</source>
        <translation>Касса заблокирована: {minutes} мин. без кассира.</translation>
    </message>
    <message>
        <source>Finish or cancel the sale first.</source>
        <translation>Сначала завершите или отмените продажу.</translation>
    </message>
    <message>
        <source>Only a manager can change the device settings.</source>
        <translation>Настройки устройств может менять только менеджер.</translation>
    </message>
    <message>
        <source>Device settings cannot be changed at this till.</source>
        <translation>На этой кассе настройки устройств не меняются.</translation>
    </message>
</context>
<context>
    <name>ManagerPinDialog</name>
    <message>
        <source>Manager&apos;s approval</source>
        <translation>Подтверждение менеджера</translation>
    </message>
    <message>
        <source>kept in the audit log</source>
        <translation>сохраняется в журнале</translation>
    </message>
    <message>
        <source>Approve  Enter</source>
        <translation>Подтвердить  Enter</translation>
    </message>
    <message>
        <source>Cancel  Esc</source>
        <translation>Отмена  Esc</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Менеджер</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>No manager is set up at this till.</source>
        <translation>На этой кассе нет ни одного менеджера.</translation>
    </message>
    <message>
        <source>Say why: the audit log keeps the reason.</source>
        <translation>Укажите причину: она сохраняется в журнале.</translation>
    </message>
    <message>
        <source>Only a manager can approve this.</source>
        <translation>Подтвердить может только менеджер.</translation>
    </message>
</context>
<context>
    <name>Notes</name>
    <message>
        <source>{tier} discount {discount_bp}: -{amount}</source>
        <translation>Скидка уровня «{tier}» {discount_bp}: −{amount}</translation>
    </message>
    <message>
        <source>Spend {missing} more to reach {tier}</source>
        <translation>До уровня «{tier}» осталось купить на {missing}</translation>
    </message>
    <message>
        <source>Identify the customer to spend bonus</source>
        <translation>Чтобы списать бонусы, выберите покупателя</translation>
    </message>
    <message>
        <source>Bonus can be spent on checks from {min_check}</source>
        <translation>Бонусы списываются с чеков от {min_check}</translation>
    </message>
    <message>
        <source>No item in this check can be paid with bonus</source>
        <translation>Ни один товар в этом чеке нельзя оплатить бонусами</translation>
    </message>
    <message>
        <source>Only {available} bonus available, {requested} asked</source>
        <translation>Доступно бонусов: {available}, запрошено: {requested}</translation>
    </message>
    <message>
        <source>Bonus capped at {cap_bp} of the check: {cap}</source>
        <translation>Бонусами можно оплатить не больше {cap_bp} чека: {cap}</translation>
    </message>
    <message>
        <source>Bonus spent in whole units only: {points}</source>
        <translation>Бонусы списываются только целыми рублями: {points}</translation>
    </message>
    <message>
        <source>Customer owes {debt} bonus from earlier returns</source>
        <translation>Долг покупателя по бонусам за прошлые возвраты: {debt}</translation>
    </message>
    <message>
        <source>Paid with bonus: {points}</source>
        <translation>Оплачено бонусами: {points}</translation>
    </message>
    <message>
        <source>Offline: at most {limit} bonus can be spent at this till</source>
        <translation>Нет связи с сервером: на этой кассе можно списать бонусов не больше {limit}</translation>
    </message>
    <message>
        <source>Bonus is spent only with the server&apos;s confirmation: it cannot be reached now</source>
        <translation>Бонусы списываются только с подтверждением сервера, а он сейчас недоступен</translation>
    </message>
    <message>
        <source>The server confirms at most {limit} bonus to spend</source>
        <translation>Сервер подтверждает не больше {limit} бонусов к списанию</translation>
    </message>
    <message>
        <source>+{points} bonus pending until {until}</source>
        <translation>Бонусы +{points} станут доступны {until}</translation>
    </message>
    <message>
        <source>{name}: earns no bonus</source>
        <translation>{name}: бонусы не начисляются</translation>
    </message>
    <message>
        <source>First purchase: +{points} extra bonus, until {expires}</source>
        <translation>Первая покупка: дополнительные бонусы +{points}, действуют до {expires}</translation>
    </message>
    <message>
        <source>Happy birthday: +{points} bonus, until {expires}</source>
        <translation>С днём рождения! Бонусы +{points}, действуют до {expires}</translation>
    </message>
    <message>
        <source>Referral bonus: +{points} to the customer who invited this one</source>
        <translation>Бонус за приглашение: +{points} тому, кто пригласил покупателя</translation>
    </message>
    <message>
        <source>Invited customer&apos;s first purchase: +{points} bonus, pending until {until}</source>
        <translation>Первая покупка по приглашению: бонусы +{points} станут доступны {until}</translation>
    </message>
    <message>
        <source>{points} bonus expires on {date}</source>
        <translation>{date} сгорят бонусы: {points}</translation>
    </message>
    <message>
        <source>The customer had already spent {debt} of this bonus: recorded as debt</source>
        <translation>Покупатель уже потратил {debt} из этих бонусов: записано как долг</translation>
    </message>
    <message>
        <source>This receipt was already returned: {restored} of {restore_asked} bonus restored, {reversed} of {reversal_asked} taken back</source>
        <translation>Этот чек уже возвращали: восстановлено бонусов {restored} из {restore_asked}, списано {reversed} из {reversal_asked}</translation>
    </message>
    <message>
        <source>Promo {promo}: -{amount}</source>
        <translation>Промокод {promo}: −{amount}</translation>
    </message>
    <message>
        <source>Promo code {promo} does not exist</source>
        <translation>Промокода {promo} не существует</translation>
    </message>
    <message>
        <source>Promo {promo} starts on {date}</source>
        <translation>Промокод {promo} действует с {date}</translation>
    </message>
    <message>
        <source>Promo {promo} expired on {date}</source>
        <translation>Срок промокода {promo} истёк {date}</translation>
    </message>
    <message>
        <source>Promo {promo} has been used up</source>
        <translation>Промокод {promo} уже исчерпан</translation>
    </message>
    <message>
        <source>Promo {promo} already used {uses} times by this customer</source>
        <translation>Покупатель уже использовал промокод {promo} (раз: {uses})</translation>
    </message>
    <message>
        <source>Identify the customer to use promo {promo}</source>
        <translation>Чтобы применить промокод {promo}, выберите покупателя</translation>
    </message>
    <message>
        <source>Promo {promo} needs a check from {min_check}</source>
        <translation>Промокод {promo} действует для чеков от {min_check}</translation>
    </message>
    <message>
        <source>Promo {promo} applies to none of these items</source>
        <translation>Промокод {promo} не действует ни на один товар в чеке</translation>
    </message>
    <message>
        <source>Promo {promo} is already applied</source>
        <translation>Промокод {promo} уже применён</translation>
    </message>
    <message>
        <source>Gift card {card}: -{amount}, {left} left</source>
        <translation>Подарочная карта {card}: −{amount}, остаток {left}</translation>
    </message>
    <message>
        <source>Gift card {card} expired on {date}</source>
        <translation>Срок действия подарочной карты {card} истёк {date}</translation>
    </message>
    <message>
        <source>Gift card {card} has no balance left</source>
        <translation>На подарочной карте {card} не осталось средств</translation>
    </message>
    <message>
        <source>Wrong PIN for gift card {card}</source>
        <translation>Неверный PIN-код подарочной карты {card}</translation>
    </message>
    <message>
        <source>Gift card {card} is locked after too many wrong PINs</source>
        <translation>Подарочная карта {card} заблокирована после нескольких неверных PIN-кодов</translation>
    </message>
    <message>
        <source>Gift card {card} holds only {balance}</source>
        <translation>На подарочной карте {card} только {balance}</translation>
    </message>
    <message>
        <source>Gift card {card} is blocked</source>
        <translation>Подарочная карта {card} заблокирована</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>Payment</source>
        <translation>Оплата</translation>
    </message>
    <message>
        <source>exact: {sum}</source>
        <translation>без сдачи: {sum}</translation>
    </message>
    <message>
        <source>Confirm  F12 / Enter</source>
        <translation>Подтвердить  F12 / Enter</translation>
    </message>
    <message>
        <source>Back to the sale  Esc</source>
        <translation>Вернуться к чеку  Esc</translation>
    </message>
    <message>
        <source>All by card  F5</source>
        <translation>Всё картой  F5</translation>
    </message>
    <message>
        <source>Gift card  F7</source>
        <translation>Подарочная карта  F7</translation>
    </message>
    <message>
        <source>To pay</source>
        <translation>К оплате</translation>
    </message>
    <message>
        <source>Cash received</source>
        <translation>Получено наличными</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>Банковская карта</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Сдача</translation>
    </message>
    <message>
        <source>Gift card {card}: −{sum}, {left} left</source>
        <translation>Подарочная карта {card}: −{sum}, осталось {left}</translation>
    </message>
    <message>
        <source>The total is being updated…</source>
        <translation>Сумма пересчитывается…</translation>
    </message>
</context>
<context>
    <name>PaymentOptions</name>
    <message>
        <source>No bonus</source>
        <translation>Без бонусов</translation>
    </message>
    <message>
        <source>Max (F4)</source>
        <translation>Максимум (F4)</translation>
    </message>
    <message>
        <source>F5, then type the amount</source>
        <translation>F5 и введите сумму</translation>
    </message>
    <message>
        <source>F6, then type the code</source>
        <translation>F6 и введите код</translation>
    </message>
    <message>
        <source>Remove codes</source>
        <translation>Убрать коды</translation>
    </message>
    <message>
        <source>Spend bonus:</source>
        <translation>Списать бонусы:</translation>
    </message>
    <message>
        <source>Bonus amount:</source>
        <translation>Сумма бонусов:</translation>
    </message>
    <message>
        <source>Promo code:</source>
        <translation>Промокод:</translation>
    </message>
    <message>
        <source>{code} (not applied)</source>
        <translation>{code} (не применён)</translation>
    </message>
    <message>
        <source>Identify the customer to spend bonus.</source>
        <translation>Чтобы списать бонусы, выберите покупателя.</translation>
    </message>
    <message>
        <source>No bonus to spend yet</source>
        <translation>Бонусов для списания пока нет</translation>
    </message>
    <message>
        <source>Available {available}; this check cannot be paid with bonus</source>
        <translation>Доступно {available}, но этот чек бонусами оплатить нельзя</translation>
    </message>
    <message>
        <source>Available {available}: all of it can go on this check</source>
        <translation>Доступно {available}, можно списать всё</translation>
    </message>
    <message>
        <source>Available {available}; this check takes at most {most}</source>
        <translation>Доступно {available}, на этот чек — не больше {most}</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <source>Sales receipt</source>
        <translation>Кассовый чек</translation>
    </message>
    <message>
        <source>COPY</source>
        <translation>КОПИЯ</translation>
    </message>
    <message>
        <source>Thank you for your purchase!</source>
        <translation>Спасибо за покупку!</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Кассир</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Карта</translation>
    </message>
    <message>
        <source>Manager&apos;s discount</source>
        <translation>Скидка менеджера</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>Promo</source>
        <translation>Промокод</translation>
    </message>
    <message>
        <source>Paid with bonus</source>
        <translation>Оплачено бонусами</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation>Скидки</translation>
    </message>
    <message>
        <source>Gift card {card}</source>
        <translation>Подарочная карта {card}</translation>
    </message>
    <message>
        <source>left on the card: {left}</source>
        <translation>остаток на карте: {left}</translation>
    </message>
    <message>
        <source>TOTAL</source>
        <translation>ИТОГО</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Наличные</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>Банковская карта</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Сдача</translation>
    </message>
    <message>
        <source>Earned</source>
        <translation>Начислено</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ожидает</translation>
    </message>
    <message>
        <source>active from {date}</source>
        <translation>активны с {date}</translation>
    </message>
    <message>
        <source>Spent</source>
        <translation>Списано</translation>
    </message>
    <message>
        <source>Expiring soon</source>
        <translation>Скоро сгорят</translation>
    </message>
    <message>
        <source>on {date}</source>
        <translation>{date}</translation>
    </message>
    <message>
        <source>New balance</source>
        <translation>Новый баланс</translation>
    </message>
    <message>
        <source>Bonus</source>
        <translation>Бонусы</translation>
    </message>
    <message>
        <source>Rate your cashier: scan the code</source>
        <translation>Оцените кассира: отсканируйте код</translation>
    </message>
    <message>
        <source>Returned from receipt</source>
        <translation>Возврат по чеку</translation>
    </message>
    <message>
        <source>Bonus given back</source>
        <translation>Бонусы возвращены</translation>
    </message>
    <message>
        <source>Bonus taken back</source>
        <translation>Бонусы списаны</translation>
    </message>
    <message>
        <source>Back to gift card {card}</source>
        <translation>На подарочную карту {card}</translation>
    </message>
    <message>
        <source>REFUND</source>
        <translation>К ВОЗВРАТУ</translation>
    </message>
    <message>
        <source>Owed from bonus already spent: {points}</source>
        <translation>Долг за уже потраченные бонусы: {points}</translation>
    </message>
    <message>
        <source>Return receipt</source>
        <translation>Чек возврата</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>Карта лояльности</translation>
    </message>
    <message>
        <source>Show this code at the till to collect and spend bonus.</source>
        <translation>Покажите этот код на кассе, чтобы копить и тратить бонусы.</translation>
    </message>
</context>
<context>
    <name>ReceiptPreview</name>
    <message>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
</context>
<context>
    <name>ReceiptsDialog</name>
    <message>
        <source>Receipts</source>
        <translation>Чеки</translation>
    </message>
    <message>
        <source>Receipt number, day (dd.mm.yyyy), phone or card; Enter</source>
        <translation>Номер чека, дата (дд.мм.гггг), телефон или карта; Enter</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>№</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Paid with</source>
        <translation>Оплата</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Кассир</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <source>Show  F8</source>
        <translation>Показать  F8</translation>
    </message>
    <message>
        <source>Print a copy  F9</source>
        <translation>Печать копии  F9</translation>
    </message>
    <message>
        <source>Return  F6</source>
        <translation>Возврат  F6</translation>
    </message>
    <message>
        <source>Close  Esc</source>
        <translation>Закрыть  Esc</translation>
    </message>
    <message>
        <source>No receipt matches {text}.</source>
        <translation>Чеков по запросу «{text}» нет.</translation>
    </message>
    <message>
        <source>No sales at this till yet.</source>
        <translation>На этой кассе ещё не было продаж.</translation>
    </message>
    <message>
        <source>sale</source>
        <translation>продажа</translation>
    </message>
    <message>
        <source>return of No. {number}</source>
        <translation>возврат по чеку № {number}</translation>
    </message>
    <message>
        <source>cash</source>
        <translation>наличные</translation>
    </message>
    <message>
        <source>bank card</source>
        <translation>банковская карта</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>ждёт отправки</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>отправляется</translation>
    </message>
    <message>
        <source>received</source>
        <translation>получен</translation>
    </message>
    <message>
        <source>refused: {code}</source>
        <translation>отклонён: {code}</translation>
    </message>
    <message>
        <source>A copy of receipt No. {number} is printing.</source>
        <translation>Печатается копия чека № {number}.</translation>
    </message>
    <message>
        <source>Choose the sale to return from, not a return.</source>
        <translation>Выберите продажу, а не возврат.</translation>
    </message>
</context>
<context>
    <name>RegisterDialog</name>
    <message>
        <source>New customer</source>
        <translation>Новый покупатель</translation>
    </message>
    <message>
        <source>8 912 345-67-89</source>
        <translation>8 912 345-67-89</translation>
    </message>
    <message>
        <source>The customer consents to personal-data processing</source>
        <translation>Покупатель согласен на обработку персональных данных</translation>
    </message>
    <message>
        <source>Consent to the processing of personal data for the loyalty program, text version {version}. Required by law: ask the customer before ticking.</source>
        <translation>Согласие на обработку персональных данных для программы лояльности, редакция {version}. Этого требует закон: спросите покупателя, прежде чем ставить отметку.</translation>
    </message>
    <message>
        <source>dd.mm.yyyy</source>
        <translation>дд.мм.гггг</translation>
    </message>
    <message>
        <source>Register (Enter)</source>
        <translation>Зарегистрировать (Enter)</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>Отмена (Esc)</translation>
    </message>
    <message>
        <source>Phone *</source>
        <translation>Телефон *</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>Дата рождения</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Birthday: {text} is not a day of the calendar.</source>
        <translation>День рождения: {text} — такого дня в календаре нет.</translation>
    </message>
    <message>
        <source>Birthday: type it as dd.mm.yyyy, e.g. 05.03.1990.</source>
        <translation>Дату рождения введите как дд.мм.гггг, например 05.03.1990.</translation>
    </message>
    <message>
        <source>Registering…</source>
        <translation>Регистрируем…</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>Z report: shift closed</source>
        <translation>Z-отчёт: смена закрыта</translation>
    </message>
    <message>
        <source>X report</source>
        <translation>X-отчёт</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Смена</translation>
    </message>
    <message>
        <source>No. {number}</source>
        <translation>№ {number}</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Открыта</translation>
    </message>
    <message>
        <source>Opened by</source>
        <translation>Открыл(а)</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Закрыта</translation>
    </message>
    <message>
        <source>At</source>
        <translation>На момент</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продажи</translation>
    </message>
    <message>
        <source>Taken in cash</source>
        <translation>Принято наличными</translation>
    </message>
    <message>
        <source>Taken by bank card</source>
        <translation>Принято картой</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Возвраты</translation>
    </message>
    <message>
        <source>Cash given back</source>
        <translation>Выдано наличными</translation>
    </message>
    <message>
        <source>Given back to bank cards</source>
        <translation>Возвращено на карты</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Выручка</translation>
    </message>
    <message>
        <source>Bonus accrued</source>
        <translation>Начислено бонусов</translation>
    </message>
    <message>
        <source>Bonus redeemed</source>
        <translation>Списано бонусов</translation>
    </message>
    <message>
        <source>Cards registered</source>
        <translation>Выдано карт</translation>
    </message>
    <message>
        <source>Questionnaires completed</source>
        <translation>Заполнено анкет</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>Размен на начало</translation>
    </message>
    <message>
        <source>Cash expected</source>
        <translation>Должно быть в кассе</translation>
    </message>
    <message>
        <source>Cash counted</source>
        <translation>Пересчитано</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Расхождение</translation>
    </message>
</context>
<context>
    <name>ReturnsDialog</name>
    <message>
        <source>Return</source>
        <translation>Возврат</translation>
    </message>
    <message>
        <source>Loading the receipt…</source>
        <translation>Загружаем чек…</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Товар</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Продано</translation>
    </message>
    <message>
        <source>Returned before</source>
        <translation>Уже возвращено</translation>
    </message>
    <message>
        <source>Return now</source>
        <translation>Вернуть сейчас</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>К возврату</translation>
    </message>
    <message>
        <source>How many of the chosen line; Enter. + all of it, F4 the whole receipt</source>
        <translation>Сколько вернуть по выбранной строке; Enter. + — всю строку, F4 — весь чек</translation>
    </message>
    <message>
        <source>Return  F12</source>
        <translation>Оформить возврат  F12</translation>
    </message>
    <message>
        <source>Close  Esc</source>
        <translation>Закрыть  Esc</translation>
    </message>
    <message>
        <source>This receipt is not a sale of this till.</source>
        <translation>Этот чек — не продажа этой кассы.</translation>
    </message>
    <message>
        <source>Return from receipt No. {number} of {when}</source>
        <translation>Возврат по чеку № {number} от {when}</translation>
    </message>
    <message>
        <source>Everything on this receipt was already returned.</source>
        <translation>По этому чеку уже всё возвращено.</translation>
    </message>
    <message>
        <source>Only {left} of this line is left to return.</source>
        <translation>По этой строке можно вернуть не больше {left}.</translation>
    </message>
    <message>
        <source>Type a quantity such as 2 or 0,350.</source>
        <translation>Введите количество, например 2 или 0,350.</translation>
    </message>
    <message>
        <source>Refund: {sum}</source>
        <translation>К возврату: {sum}</translation>
    </message>
    <message>
        <source>bonus given back +{points}</source>
        <translation>бонусы вернутся +{points}</translation>
    </message>
    <message>
        <source>bonus taken back −{points}</source>
        <translation>бонусы спишутся −{points}</translation>
    </message>
    <message>
        <source>the customer will owe {points}</source>
        <translation>долг покупателя {points}</translation>
    </message>
    <message>
        <source>a manager&apos;s PIN is needed</source>
        <translation>нужен PIN менеджера</translation>
    </message>
    <message>
        <source>to the bank card {sum}</source>
        <translation>на банковскую карту {sum}</translation>
    </message>
    <message>
        <source>in cash {sum}</source>
        <translation>наличными {sum}</translation>
    </message>
    <message>
        <source>to the gift card {sum}</source>
        <translation>на подарочную карту {sum}</translation>
    </message>
    <message>
        <source>A refund of {sum} needs a manager&apos;s approval.</source>
        <translation>Возврат {sum} должен подтвердить менеджер.</translation>
    </message>
    <message>
        <source>Return No. {number} done: give back {sum} in cash.</source>
        <translation>Возврат № {number} оформлен: выдайте {sum} наличными.</translation>
    </message>
    <message>
        <source>Return No. {number} done.</source>
        <translation>Возврат № {number} оформлен.</translation>
    </message>
    <message>
        <source>Close  F12</source>
        <translation>Закрыть  F12</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Cashier</source>
        <translation>Кассир</translation>
    </message>
    <message>
        <source>Senior cashier</source>
        <translation>Старший кассир</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Управляющий</translation>
    </message>
</context>
<context>
    <name>SaleSession</name>
    <message>
        <source>A line holds 1 to {most} pieces.</source>
        <translation>В строке может быть от 1 до {most} штук.</translation>
    </message>
    <message>
        <source>Type an amount above zero.</source>
        <translation>Введите сумму больше нуля.</translation>
    </message>
    <message>
        <source>Free-price item</source>
        <translation>Товар по свободной цене</translation>
    </message>
    <message>
        <source>One piece left: Delete removes the line.</source>
        <translation>Осталась одна штука: чтобы убрать строку, нажмите Delete.</translation>
    </message>
    <message>
        <source>A discount must be above zero and at most the line&apos;s price.</source>
        <translation>Скидка должна быть больше нуля и не больше цены строки.</translation>
    </message>
    <message>
        <source>F3 registers a new customer.</source>
        <translation>F3 — зарегистрировать нового покупателя.</translation>
    </message>
    <message>
        <source>Identify the customer first: scan the card or press F2.</source>
        <translation>Сначала выберите покупателя: отсканируйте карту или нажмите F2.</translation>
    </message>
    <message>
        <source>The cart is empty: scan a product first.</source>
        <translation>Чек пуст: сначала отсканируйте товар.</translation>
    </message>
    <message>
        <source>The total is being updated; press F12 again.</source>
        <translation>Сумма пересчитывается; нажмите F12 ещё раз.</translation>
    </message>
    <message>
        <source>Paying…</source>
        <translation>Проводим оплату…</translation>
    </message>
    <message>
        <source>Payment in progress: wait a moment.</source>
        <translation>Идёт оплата, подождите секунду.</translation>
    </message>
</context>
<context>
    <name>SaleSummary</name>
    <message>
        <source>Sale {number} done: {paid}</source>
        <translation>Продажа № {number} проведена: {paid}</translation>
    </message>
    <message>
        <source>Change: {amount}</source>
        <translation>Сдача: {amount}</translation>
    </message>
    <message>
        <source>Earned: +{points}</source>
        <translation>Начислено: +{points}</translation>
    </message>
    <message>
        <source>(pending until {date})</source>
        <translation>(станут доступны {date})</translation>
    </message>
    <message>
        <source>including the first purchase bonus: +{points}</source>
        <translation>в том числе бонус за первую покупку: +{points}</translation>
    </message>
    <message>
        <source>Spent: {points}</source>
        <translation>Списано: {points}</translation>
    </message>
    <message>
        <source>New balance: {points}</source>
        <translation>Новый баланс: {points}</translation>
    </message>
    <message>
        <source>pending {points}</source>
        <translation>ожидают {points}</translation>
    </message>
    <message>
        <source>No loyalty card on this sale.</source>
        <translation>Продажа без карты лояльности.</translation>
    </message>
    <message>
        <source>cash {amount}</source>
        <translation>наличные {amount}</translation>
    </message>
    <message>
        <source>card {amount}</source>
        <translation>карта {amount}</translation>
    </message>
    <message>
        <source>Paid: {tenders}</source>
        <translation>Оплачено: {tenders}</translation>
    </message>
    <message>
        <source>Server: waiting to be sent</source>
        <translation>Сервер: ждёт отправки</translation>
    </message>
    <message>
        <source>Server: sending…</source>
        <translation>Сервер: отправляется…</translation>
    </message>
    <message>
        <source>Server: received</source>
        <translation>Сервер: получено</translation>
    </message>
    <message>
        <source>Server: refused ({code}): {reason}</source>
        <translation>Сервер отклонил ({code}): {reason}</translation>
    </message>
</context>
<context>
    <name>ScanBar</name>
    <message>
        <source>Scan a product or a card, or type a barcode</source>
        <translation>Сканируйте товар или карту либо введите штрихкод</translation>
    </message>
</context>
<context>
    <name>ScoresDialog</name>
    <message>
        <source>Staff scores</source>
        <translation>Оценки сотрудников</translation>
    </message>
    <message>
        <source>Asking the server for the scores…</source>
        <translation>Запрашиваем оценки у сервера…</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Кассир</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Рейтинг</translation>
    </message>
    <message>
        <source>Votes</source>
        <translation>Оценок</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>Средняя</translation>
    </message>
    <message>
        <source>With card</source>
        <translation>С картой</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продаж</translation>
    </message>
    <message>
        <source>Average check</source>
        <translation>Средний чек</translation>
    </message>
    <message>
        <source>Comments on low ratings</source>
        <translation>Комментарии к низким оценкам</translation>
    </message>
    <message>
        <source>Back  Esc</source>
        <translation>Назад  Esc</translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <translation>с {first} по {last}</translation>
    </message>
    <message>
        <source>The store&apos;s cashiers, {period}, best served first. The score is the average rating weighed by the number of votes (the store&apos;s mean is {mean}).</source>
        <translation>Кассиры магазина, {period}, лучшие сверху. Рейтинг — средняя оценка с учётом числа оценок (средняя по магазину — {mean}).</translation>
    </message>
    <message>
        <source>Your score, {period}: the average rating weighed by the number of votes (the store&apos;s mean is {mean}).</source>
        <translation>Ваш рейтинг, {period}: средняя оценка с учётом числа оценок (средняя по магазину — {mean}).</translation>
    </message>
    <message>
        <source>No comments on low ratings.</source>
        <translation>Комментариев к низким оценкам нет.</translation>
    </message>
    <message>
        <source>The scores need the server, and it did not answer.</source>
        <translation>Оценки хранятся на сервере, а он не ответил.</translation>
    </message>
</context>
<context>
    <name>ShiftDialog</name>
    <message>
        <source>Shift</source>
        <translation>Смена</translation>
    </message>
    <message>
        <source>Reading the shift…</source>
        <translation>Читаем смену…</translation>
    </message>
    <message>
        <source>Print X report  F9</source>
        <translation>Печать X-отчёта  F9</translation>
    </message>
    <message>
        <source>Close the shift  F12</source>
        <translation>Закрыть смену  F12</translation>
    </message>
    <message>
        <source>Back  Esc</source>
        <translation>Назад  Esc</translation>
    </message>
    <message>
        <source>No shift is open.</source>
        <translation>Смена не открыта.</translation>
    </message>
    <message>
        <source>Cash put in the drawer to start; Enter opens</source>
        <translation>Размен на начало смены; Enter открывает</translation>
    </message>
    <message>
        <source>Shift No. {number} is closed.</source>
        <translation>Смена № {number} закрыта.</translation>
    </message>
    <message>
        <source>Shift No. {number} is open.</source>
        <translation>Смена № {number} открыта.</translation>
    </message>
    <message>
        <source>Cash counted in the drawer; F12 closes</source>
        <translation>Наличные в кассе; F12 закрывает смену</translation>
    </message>
    <message>
        <source>A senior cashier or a manager closes the shift</source>
        <translation>Смену закрывает старший кассир или менеджер</translation>
    </message>
    <message>
        <source>Type the cash counted in the drawer first.</source>
        <translation>Сначала введите пересчитанную сумму наличных.</translation>
    </message>
    <message>
        <source>Shift No. {number} is open: the till can sell.</source>
        <translation>Смена № {number} открыта: можно продавать.</translation>
    </message>
    <message>
        <source>Shift No. {number} closed: {sum} over.</source>
        <translation>Смена № {number} закрыта: излишек {sum}.</translation>
    </message>
    <message>
        <source>Shift No. {number} closed: {sum} short.</source>
        <translation>Смена № {number} закрыта: недостача {sum}.</translation>
    </message>
    <message>
        <source>Shift No. {number} closed: the cash matches.</source>
        <translation>Смена № {number} закрыта: наличные сходятся.</translation>
    </message>
    <message>
        <source>The X report is printing.</source>
        <translation>X-отчёт печатается.</translation>
    </message>
</context>
<context>
    <name>SurveyPanel</name>
    <message>
        <source>How did we serve you?</source>
        <translation>Как вас обслужили?</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>polite</source>
        <translation>вежливо</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>быстро</translation>
    </message>
    <message>
        <source>helpful</source>
        <translation>помогли</translation>
    </message>
    <message>
        <source>offered the card</source>
        <translation>предложили карту</translation>
    </message>
    <message>
        <source>slow</source>
        <translation>медленно</translation>
    </message>
    <message>
        <source>impolite</source>
        <translation>невежливо</translation>
    </message>
    <message>
        <source>a mistake</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <source>Tap a number from 1 to 5 first.</source>
        <translation>Сначала выберите оценку от 1 до 5.</translation>
    </message>
    <message>
        <source>Thank you for your rating!</source>
        <translation>Спасибо за оценку!</translation>
    </message>
</context>
<context>
    <name>Tiers</name>
    <message>
        <source>Bronze</source>
        <translation>Бронза</translation>
    </message>
    <message>
        <source>Silver</source>
        <translation>Серебро</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>Золото</translation>
    </message>
</context>
<context>
    <name>TillStatusBar</name>
    <message>
        <source>Reprint (F9)</source>
        <translation>Копия чека (F9)</translation>
    </message>
    <message>
        <source>Receipt (F8)</source>
        <translation>Чек (F8)</translation>
    </message>
    <message>
        <source>Log out (Ctrl+L)</source>
        <translation>Выйти (Ctrl+L)</translation>
    </message>
    <message>
        <source>Nobody is logged in</source>
        <translation>Никто не вошёл</translation>
    </message>
    <message>
        <source>{name} · {role}</source>
        <translation>{name} · {role}</translation>
    </message>
    <message>
        <source>To server: ?</source>
        <translation>Ждут отправки: ?</translation>
    </message>
    <message>
        <source>To server: {count}</source>
        <translation>Ждут отправки: {count}</translation>
    </message>
    <message>
        <source>Online · synced {time}</source>
        <translation>На связи · синхронизировано в {time}</translation>
    </message>
    <message>
        <source>Offline: sales are kept and sent later</source>
        <translation>Нет связи: продажи сохранены и уйдут позже</translation>
    </message>
    <message>
        <source>Refused by server: {count}</source>
        <translation>Отклонено сервером: {count}</translation>
    </message>
    <message>
        <source>Loading the store: {rows} rows</source>
        <translation>Загрузка магазина: {rows} строк</translation>
    </message>
    <message>
        <source>Loading the store: %p%</source>
        <translation>Загрузка магазина: %p%</translation>
    </message>
    <message>
        <source>A copy of the last receipt is printing.</source>
        <translation>Печатается копия последнего чека.</translation>
    </message>
    <message>
        <source>Scanner ready</source>
        <translation>Сканер готов</translation>
    </message>
    <message>
        <source>Scanner unplugged: reconnecting…</source>
        <translation>Сканер отключён: переподключаемся…</translation>
    </message>
    <message>
        <source>Printer is off or unplugged</source>
        <translation>Принтер выключен или не подключён</translation>
    </message>
    <message>
        <source>Printer does not answer (busy or stuck?)</source>
        <translation>Принтер не отвечает (занят или завис?)</translation>
    </message>
    <message>
        <source>Printer did not confirm the last receipt: check it came out (F9 prints a copy)</source>
        <translation>Принтер не подтвердил последний чек: проверьте, вышел ли он (F9 — печать копии)</translation>
    </message>
    <message>
        <source>Printer is out of paper</source>
        <translation>В принтере закончилась бумага</translation>
    </message>
    <message>
        <source>Printer cover is open</source>
        <translation>Крышка принтера открыта</translation>
    </message>
    <message>
        <source>Printer reports an error (paper jam, cutter?)</source>
        <translation>Принтер сообщает об ошибке (замята бумага, отрезчик?)</translation>
    </message>
    <message>
        <source>Printer settings are wrong: ask a manager</source>
        <translation>Неверные настройки принтера: позовите менеджера</translation>
    </message>
    <message>
        <source>Printer failed</source>
        <translation>Ошибка принтера</translation>
    </message>
    <message>
        <source>Printer: paper is running low</source>
        <translation>Принтер: бумага заканчивается</translation>
    </message>
    <message>
        <source>Printer ready</source>
        <translation>Принтер готов</translation>
    </message>
    <message>
        <source>receipts waiting: {count}</source>
        <translation>чеков в очереди: {count}</translation>
    </message>
    <message>
        <source>(the oldest since {time})</source>
        <translation>(самый старый с {time})</translation>
    </message>
</context>
<context>
    <name>Totals</name>
    <message>
        <source>{tier}: {rate} back</source>
        <translation>{tier}: начисление {rate}</translation>
    </message>
    <message>
        <source>{tier} tier</source>
        <translation>Уровень «{tier}»</translation>
    </message>
    <message>
        <source>First purchase bonus +{rate}</source>
        <translation>Бонус за первую покупку +{rate}</translation>
    </message>
    <message>
        <source>First purchase bonus</source>
        <translation>Бонус за первую покупку</translation>
    </message>
    <message>
        <source>First purchase bonus: a customer&apos;s first purchase earns more than usual; the extra +{points} expires on {date}.</source>
        <translation>Бонус за первую покупку: первая покупка клиента приносит больше бонусов, чем обычно; дополнительные +{points} сгорают {date}.</translation>
    </message>
    <message>
        <source>First purchase bonus: a customer&apos;s first purchase earns {rate} back instead of {tier_rate}; the extra +{points} expires on {date}.</source>
        <translation>Бонус за первую покупку: за первую покупку клиенту начисляется {rate} вместо {tier_rate}; дополнительные +{points} сгорают {date}.</translation>
    </message>
</context>
<context>
    <name>TotalsPanel</name>
    <message>
        <source>Pay  F12</source>
        <translation>Оплата  F12</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation>Скидки</translation>
    </message>
    <message>
        <source>Paid with bonus</source>
        <translation>Оплачено бонусами</translation>
    </message>
    <message>
        <source>To pay</source>
        <translation>К оплате</translation>
    </message>
    <message>
        <source>Will earn</source>
        <translation>Будет начислено</translation>
    </message>
    <message>
        <source>No card on this check: ask for the loyalty card or phone.</source>
        <translation>Чек без карты: спросите у покупателя карту лояльности или телефон.</translation>
    </message>
    <message>
        <source>Other bonuses</source>
        <translation>Другие бонусы</translation>
    </message>
</context>
</TS>
